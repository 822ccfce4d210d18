process.stderr.write(String(performance.timeOrigin+performance.now()-Number(process.env.MARK))+"\n")
