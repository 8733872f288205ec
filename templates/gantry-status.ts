import type {
  EnvironmentStatus,
  ModelStatus,
} from "../src/queries/model-status.js";
import {
  actorName,
  commandReply,
  contextBlock,
  formatAge,
  headerBlock,
  lineSections,
  slackTime,
  type CommandReply,
} from "./command-reply.js";
import { escapeMrkdwn, truncate } from "./limits.js";
import { statusLabel } from "./status-label.js";

/** At most this many promotions in flight are listed per model. */
const MAX_IN_FLIGHT = 10;
/** Maximum length of a lock or freeze reason on a status line, in characters. */
const REASON_WIDTH = 120;

/**
 * Builds the /gantry status reply: per model, the version live in each
 * environment with its lock and freeze, then the promotions in flight.
 */
export function gantryStatus(params: {
  models: readonly ModelStatus[];
  /** How many more models there are than `models` shows. */
  omitted: number;
  now: Date;
}): CommandReply {
  const { models, now } = params;
  if (models.length === 0) {
    return commandReply("No models are configured yet.", [
      contextBlock(
        "No models are configured yet; declare them under `models` in .github/gantry.yml.",
      ),
    ]);
  }

  const blocks = [
    headerBlock(
      models.length === 1
        ? `Status: ${models[0]?.name ?? ""}`
        : `Status of ${models.length} models`,
    ),
    ...models.flatMap((model) =>
      lineSections([
        `*${escapeMrkdwn(model.key)}*`,
        ...model.environments.map((environment) =>
          environmentLine(environment, now),
        ),
        ...inFlightLines(model),
      ]),
    ),
  ];
  if (params.omitted > 0) {
    blocks.push(
      contextBlock(
        `${params.omitted} more models are not shown; \`/gantry status MODEL\` shows one.`,
      ),
    );
  }
  return commandReply(
    models.length === 1
      ? `Status of ${models[0]?.name ?? ""}`
      : `Status of ${models.length} models`,
    blocks,
  );
}

function environmentLine(environment: EnvironmentStatus, now: Date): string {
  const live = environment.liveVersion
    ? `version ${escapeMrkdwn(environment.liveVersion)} live`
    : "nothing live yet";
  const parts = [`• \`${escapeMrkdwn(environment.name)}\`: ${live}`];

  const { lock, freeze } = environment;
  if (lock) {
    parts.push(
      `:lock: locked by ${actorName(lock.owner)}${reasonText(lock.reason)}, held ${formatAge(now.getTime() - lock.acquiredAt.getTime())}, until ${slackTime(lock.expiresAt)}`,
    );
  }
  if (freeze) {
    const by =
      freeze.source === "config"
        ? "by .github/gantry.yml"
        : `by ${actorName(freeze.by ?? "")}`;
    parts.push(
      `:snowflake: frozen ${by}${reasonText(freeze.reason)} until ${slackTime(freeze.endsAt)}`,
    );
  }
  return parts.join(" · ");
}

function inFlightLines(model: ModelStatus): string[] {
  if (model.inFlight.length === 0) return ["_No promotions in flight._"];

  const shown = model.inFlight.slice(0, MAX_IN_FLIGHT).map((promotion) => {
    return `• ${escapeMrkdwn(promotion.version)} → \`${escapeMrkdwn(promotion.environment)}\`: ${statusLabel(promotion.status)}, requested by ${actorName(promotion.requestedBy)} (${promotion.id})`;
  });
  const more = model.inFlight.length - shown.length;
  return [
    "*In flight:*",
    ...shown,
    ...(more > 0 ? [`_${more} more not shown._`] : []),
  ];
}

function reasonText(reason: string): string {
  if (reason === "") return "";
  return ` (“${escapeMrkdwn(truncate(reason, REASON_WIDTH))}”)`;
}
