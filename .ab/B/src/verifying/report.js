/** Counts statuses for the report summary. */
export function summarize(files) {
    const summary = { ok: 0, changed: 0, missing: 0, extra: 0, ignored: 0 };
    for (const f of files)
        summary[f.status] += 1;
    return summary;
}
//# sourceMappingURL=report.js.map