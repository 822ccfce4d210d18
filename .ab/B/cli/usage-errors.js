import { existsSync } from 'node:fs';
import { withoutCamelCaseCopies } from './options.js';
/** The commands, as named when none or an unknown one is given. */
export const COMMANDS = 'digest, sign, verify, push, pull, attach or discover';
/** Parent commands whose first word is a method, and the methods. */
const METHODS = {
    sign: { what: 'signing method', names: ['key', 'certificate', 'sigstore'] },
    verify: { what: 'verification method', names: ['key', 'certificate', 'sigstore'] },
};
/**
 * The words with `sigstore` put in after `sign` or `verify` when a model comes where the
 * method belongs, as model_signing takes Sigstore for the default method. Only a word that
 * names a model (an existing path, or an `oci://` or `oci-layout:` reference) counts, so a
 * mistyped method is still named as one.
 */
export function withDefaultMethod(args) {
    const [command, word] = args;
    if (command === undefined || word === undefined || !(command in METHODS) || word.startsWith('-'))
        return [...args];
    if (METHODS[command].names.includes(word))
        return [...args];
    if (!/^oci(-layout)?:/.test(word) && !existsSync(word))
        return [...args];
    return [command, 'sigstore', ...args.slice(1)];
}
/**
 * Whether `--json` is on, read from the words as yargs reads a boolean flag (`--json`,
 * `--json=true`, `--json true`, `--json=false`, `--json false`, `--no-json`; the last one
 * counts), for failures before the parsed value is known. Words after `--` are not flags.
 */
export function jsonRequested(args) {
    let json = false;
    for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
        const word = args[i];
        if (word === '--no-json')
            json = false;
        else if (word.startsWith('--json='))
            json = word === '--json=true';
        else if (word === '--json') {
            const next = args[i + 1];
            json = next !== 'false';
            if (next === 'true' || next === 'false')
                i += 1;
        }
    }
    return json;
}
/**
 * The words yargs took as arguments (positionals), and those that unknown flags swallowed,
 * read from `args` as yargs-parser reads them with the flags it knows at this level (and
 * greedy-arrays off): an unknown flag or a list flag takes the next word that does not start
 * with `-`, a boolean only `true` or `false`.
 */
function readWords(args, known) {
    const has = (name) => Object.prototype.hasOwnProperty.call(known.key, name);
    const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const isFlag = (word) => word !== undefined && /^-/.test(word) && !/^-\d/.test(word);
    const positionals = [];
    const swallowed = [];
    const afterList = [];
    let list;
    for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
        const word = args[i];
        if (!isFlag(word)) {
            positionals.push(word);
            if (list)
                afterList.push({ ...list, word });
            list = undefined;
            continue;
        }
        list = undefined;
        const [spelled, inline] = word.replace(/^--?/, '').split(/=(.*)/s);
        const name = has(spelled) ? spelled : kebab(spelled);
        const negated = name.startsWith('no-') && known.boolean.includes(name.slice(3));
        if (negated || known.boolean.includes(name)) {
            if (inline === undefined && (args[i + 1] === 'true' || args[i + 1] === 'false'))
                i += 1;
            continue;
        }
        const takesNext = inline === undefined && i + 1 < args.length && args[i + 1] !== '--' && !isFlag(args[i + 1]);
        if (takesNext)
            i += 1;
        const value = takesNext ? args[i] : inline;
        if (known.array.includes(name)) {
            if (value !== undefined)
                list = { flag: `--${spelled}`, value };
        }
        else if (takesNext && !has(name)) {
            swallowed.push({ flag: `--${spelled}`, word: value });
        }
    }
    return { positionals, swallowed, afterList };
}
/**
 * A yargs failure message made to name the problem: a missing or unknown method after
 * `sign` or `verify`, and for a missing argument, the flag that took it as its value.
 */
export function usageFailure(message, cli, args) {
    const failing = cli;
    const known = failing.getOptions?.();
    const context = failing.getInternalMethods?.().getContext();
    if (!known || !context)
        return withoutCamelCaseCopies(message);
    const { positionals, swallowed, afterList } = readWords(args, known);
    const [command] = context.commands;
    if (command === undefined && positionals[0] !== undefined && /^Unknown arguments?: /.test(message)) {
        return `unknown command ${JSON.stringify(positionals[0])}: name one of ${COMMANDS}`;
    }
    const methods = command === undefined ? undefined : METHODS[command];
    if (methods && context.commands.length === 1) {
        // At this level yargs knows no flag of the methods, so `positionals[1]` is the word it took as the method.
        const method = positionals[1];
        const choices = `${methods.names.slice(0, -1).join(', ')} or ${methods.names[methods.names.length - 1]}`;
        if (method === undefined)
            return `name a ${methods.what}: ${choices}`;
        if (!methods.names.includes(method)) {
            return `unknown ${methods.what} ${JSON.stringify(method)}: name ${choices} (a model there means sigstore, as in model_signing, but no file or directory ${JSON.stringify(method)} exists)`;
        }
    }
    const short = /^Not enough non-option arguments: got (\d+)/.exec(message);
    if (short) {
        const usage = context.fullCommands[context.fullCommands.length - 1] ?? '';
        const names = [...usage.matchAll(/<([^>]+)>/g)].map((m) => `<${m[1]}>`).slice(Number(short[1]));
        const missing = names.length === 0 ? 'an argument is missing' : `the ${names.join(' and ')} argument${names.length > 1 ? 's are' : ' is'} missing`;
        const taken = swallowed[0];
        if (taken)
            return `${missing}: ${taken.flag} is not a flag of \`${context.commands.join(' ')}\`, and it took ${JSON.stringify(taken.word)} as its value`;
        // `--` does not help here: yargs never takes a word after it as an argument.
        const dashes = args.indexOf('--');
        if (dashes >= 0 && dashes < args.length - 1)
            return `${missing}: words after \`--\` are not read as arguments; put ${names[0] ?? 'it'} before \`--\``;
        return missing;
    }
    // Too many arguments, one of them right after a list flag's value: most likely meant as a second value.
    const extra = /^Unknown arguments?: /.test(message) ? afterList[0] : undefined;
    if (extra) {
        return `${withoutCamelCaseCopies(message)}: ${extra.flag} takes one value each time it is given (as in model_signing), so ${JSON.stringify(extra.word)} after ${extra.flag} ${JSON.stringify(extra.value)} was read as an argument; for a second value give the flag again (${extra.flag} ${JSON.stringify(extra.value)} ${extra.flag} ${JSON.stringify(extra.word)})`;
    }
    return withoutCamelCaseCopies(message);
}
//# sourceMappingURL=usage-errors.js.map