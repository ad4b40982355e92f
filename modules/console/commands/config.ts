/**
 * The config commands: show/config, get, set, unset, save, discard, export,
 * import. They stage edits in the ConfigService and print what is unsaved and
 * what needs a restart. Secrets are never printed: `get` says only whether
 * one is set, `export` leaves them out unless --with-secrets.
 */
import type { ConfigService, KeyView } from "../../config/config-service.js";
import { KEYS, lookupKey } from "../../config/schema.js";
import { MAX_LINE_BYTES } from "../line-reader.js";
import { ConsoleError } from "../console-error.js";
import type { ConsoleCommand, Reply } from "../console.js";

const WITH_SECRETS = "--with-secrets";

function line(view: KeyView): string {
  const marks = [view.unsaved ? "[unsaved]" : "", view.restart ? "[restart]" : "", view.override !== undefined ? `[override: ${view.spec.secret ? "(set)" : String(view.override)}]` : ""].filter(Boolean).join(" ");
  return `${view.key} = ${view.text}${marks ? `  ${marks}` : ""}`;
}

function usage(name: string, synopsis: string, args: string[], min: number, max: number): void {
  if (args.length < min || args.length > max) throw new ConsoleError("usage", `usage: ${name} ${synopsis}`);
}

function footer(config: ConfigService, reply: Reply): void {
  const unsaved = config.unsavedKeys().length;
  if (unsaved > 0) reply(`${unsaved} unsaved change(s): save to keep them, discard to drop them`);
}

/** All config commands over one ConfigService. */
export function configCommands(config: ConfigService): ConsoleCommand[] {
  const show = (name: string): ConsoleCommand => ({
    name,
    summary: name === "show" ? "show the config (pending values), or the keys under a prefix" : "same as show",
    usage: "[prefix]",
    details: "Marks: [unsaved] staged but not saved; [restart] takes effect after reboot;\n[override] replaced at boot by a command-line flag. Secrets show as (set) or (not set).",
    run(args, reply) {
      usage(name, "[prefix]", args, 0, 1);
      const prefix = args[0] ?? "";
      const views = config.list(prefix);
      if (views.length === 0) {
        const near = lookupKey(prefix) ? undefined : Object.keys(KEYS).find((k) => k.split(".")[0] === prefix.split(".")[0]);
        throw new ConsoleError("unknown-key", `no keys under ${JSON.stringify(prefix.slice(0, 40))}${near ? `; try ${near.split(".")[0]}` : "; type show for all keys"}`);
      }
      for (const view of views) reply(line(view));
      footer(config, reply);
    },
  });
  return [
    show("show"),
    show("config"),
    {
      name: "get",
      summary: "one key's value, type, range, unit and help",
      usage: "<key>",
      details: "A secret key says only whether it is set.",
      run(args, reply) {
        usage("get", "<key>", args, 1, 1);
        const view = config.get(args[0]);
        const spec = view.spec;
        reply(line(view));
        const range = spec.type === "int" ? `integer ${spec.min}..${spec.max}` : spec.type === "enum" ? `one of ${spec.values!.join(", ")}` : spec.type === "bool" ? "true or false" : spec.patternHelp ?? `text${spec.maxBytes ? ` up to ${spec.maxBytes} bytes` : ""}`;
        const flags = [spec.secret ? "secret" : "", spec.restart ? "needs restart" : "live", spec.remote ? "remotely settable" : ""].filter(Boolean).join(", ");
        reply(`  ${range}${spec.unit ? ` (${spec.unit})` : ""}; default ${spec.secret ? "empty" : spec.default === undefined ? "none" : JSON.stringify(spec.default)}; ${flags}`);
        reply(`  ${spec.help}`);
      },
    },
    {
      name: "set",
      summary: "stage a new value (save to keep it)",
      usage: "<key> <value>",
      details: 'Quote values with spaces: set node.site "Hall 3".\nset ch.<name>.type <type> creates a channel, set act.<name>.type <relay|pwm> an actuator.',
      run(args, reply) {
        // The usual mistake is a value with spaces: say how to quote it (never echoing the value: it may be a secret).
        if (args.length > 2) throw new ConsoleError("usage", 'usage: set <key> <value>; quote values with spaces: set node.site "Hall 3"');
        usage("set", "<key> <value>", args, 2, 2);
        config.set(args[0], args[1]);
        reply(line(config.get(args[0])));
      },
    },
    {
      name: "unset",
      summary: "stage a key back to its default; ch.<name> or act.<name> removes it",
      usage: "<key>",
      run(args, reply) {
        usage("unset", "<key>", args, 1, 1);
        config.unset(args[0]);
        if (/^(ch|act|mb)\.[^.]+(\.type)?$/.test(args[0])) reply(`${args[0].replace(/\.type$/, "")} removed  [unsaved]`);
        else reply(line(config.get(args[0])));
      },
    },
    {
      name: "save",
      summary: "check the whole config and write it to flash (power-safe)",
      usage: "",
      details: "Cross-key rules are checked here (pins used twice, mqtts without port, ...).\nAll broken rules are listed; nothing is written then.",
      run(args, reply) {
        usage("save", "", args, 0, 0);
        const restart = config.list().filter((v) => v.restart).map((v) => v.key);
        const generation = config.save();
        reply(`saved generation ${generation}`);
        if (restart.length > 0) reply(`reboot to apply: ${restart.join(", ")}`);
      },
    },
    {
      name: "discard",
      summary: "drop the staged edits",
      usage: "",
      run(args, reply) {
        usage("discard", "", args, 0, 0);
        reply(`discarded ${config.discard()} unsaved change(s)`);
      },
    },
    {
      name: "export",
      summary: "print the config as one line to paste into another node",
      usage: `[${WITH_SECRETS}]`,
      details: `Prints "import v<schema> key=value ..." (what differs from the factory defaults).\nSecrets are left out unless ${WITH_SECRETS} is given.`,
      run(args, reply) {
        usage("export", `[${WITH_SECRETS}]`, args, 0, 1);
        if (args.length === 1 && args[0] !== WITH_SECRETS) throw new ConsoleError("usage", `usage: export [${WITH_SECRETS}], got ${JSON.stringify(args[0].slice(0, 40))}`);
        const text = `import ${config.exportLine(args[0] === WITH_SECRETS)}`;
        if (text.length > MAX_LINE_BYTES) throw new ConsoleError("too-long", `export line of ${text.length} bytes exceeds the ${MAX_LINE_BYTES}-byte console line; copy with show instead`);
        reply(text);
      },
    },
    {
      name: "import",
      summary: "stage a whole config from an export line (then save)",
      usage: "v<schema> key=value ... [-key]",
      details: "Starts from the factory defaults; this node's secrets are kept unless the line sets them.",
      run(args, reply) {
        const notes = config.importWords(args);
        // An older export line was migrated: say so, and what could not be carried over.
        const migrated = notes.some((note) => note.startsWith("migrated config"));
        for (const note of notes) if (!note.startsWith("migrated config")) reply(`note: ${note}`);
        reply(`imported${migrated ? ` (migrated from schema ${args[0]})` : ""}; ${config.unsavedKeys().length} unsaved change(s): save to keep them`);
      },
    },
  ];
}
