export const SUBCOMMANDS = [
  "status",
  "history",
  "audit",
  "lock",
  "unlock",
  "freeze",
  "unfreeze",
  "help",
] as const;

export type SubcommandName = (typeof SUBCOMMANDS)[number];

/** Each subcommand's usage line and what it does, as `/gantry help` lists them. */
export const USAGE: Record<SubcommandName, { usage: string; summary: string }> =
  {
    status: {
      usage: "/gantry status [MODEL]",
      summary:
        "Versions live in each environment, locks, freezes and promotions in flight, for one model or all.",
    },
    history: {
      usage: "/gantry history MODEL [ENVIRONMENT]",
      summary:
        "Recent promotions of a model, newest first, with who requested and who approved them.",
    },
    audit: {
      usage: "/gantry audit MODEL",
      summary:
        "Recent audit events of a model: who did what, when, why, and the version.",
    },
    lock: {
      usage: "/gantry lock ENVIRONMENT [DURATION] [reason]",
      summary:
        "Holds an environment for you for DURATION (default 4h, at most 24h); asking again extends your lock. Gantry reminds the channel every hour it is held.",
    },
    unlock: {
      usage: "/gantry unlock ENVIRONMENT",
      summary: "Releases the lock on an environment.",
    },
    freeze: {
      usage: '/gantry freeze ENVIRONMENT DURATION "reason"',
      summary:
        "Turns away promotions to an environment, for every model, for DURATION (1m to 31d, for example 30m, 2h or 1d). An approver may break a freeze with a reason.",
    },
    unfreeze: {
      usage: "/gantry unfreeze ENVIRONMENT",
      summary:
        "Lifts a freeze set by command. Windows declared under `freezes` in .github/gantry.yml stay in force.",
    },
    help: { usage: "/gantry help", summary: "Shows this list." },
  };

/** Returns the usage line of a subcommand, with an example where one helps. */
export function usageLine(name: SubcommandName): string {
  const example = EXAMPLES[name];
  return `Usage: \`${USAGE[name].usage}\`${example ? `, for example \`${example}\`` : ""}.`;
}

const EXAMPLES: Partial<Record<SubcommandName, string>> = {
  status: "/gantry status churn",
  history: "/gantry history churn production",
  audit: "/gantry audit churn",
  lock: '/gantry lock production 2h "database migration"',
  unlock: "/gantry unlock production",
  freeze: '/gantry freeze production 2h "quarter close"',
  unfreeze: "/gantry unfreeze production",
};
