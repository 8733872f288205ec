import type { EnvironmentLock } from "../src/environment-locks.js";
import {
  actorName,
  formatAge,
  slackTime,
  textReply,
  type CommandReply,
} from "./command-reply.js";
import { escapeMrkdwn } from "./limits.js";

/** Announces a lock just taken or extended. */
export function lockTaken(params: {
  lock: EnvironmentLock;
  extended: boolean;
}): CommandReply {
  const { lock } = params;
  const verb = params.extended ? "extended the lock on" : "locked";
  return textReply(
    `:lock: ${actorName(lock.owner)} ${verb} \`${escapeMrkdwn(lock.environment)}\`${reasonText(lock.reason)} until ${slackTime(lock.expiresAt)}. \`/gantry unlock ${escapeMrkdwn(lock.environment)}\` releases it.`,
  );
}

/** Tells a user that someone else holds the lock they asked for. */
export function lockHeld(params: {
  lock: EnvironmentLock;
  now: Date;
}): CommandReply {
  const { lock, now } = params;
  return textReply(
    `:lock: \`${escapeMrkdwn(lock.environment)}\` is already locked by ${actorName(lock.owner)}${reasonText(lock.reason)}, held for ${formatAge(now.getTime() - lock.acquiredAt.getTime())}, until ${slackTime(lock.expiresAt)}. Ask them to unlock it, or wait until it expires.`,
  );
}

/** Announces a released lock, naming the holder when someone else released it. */
export function lockReleased(params: {
  environment: string;
  owner: string;
  releasedBy: string;
}): CommandReply {
  const theirs =
    params.owner === params.releasedBy
      ? ""
      : ` (it was held by ${actorName(params.owner)})`;
  return textReply(
    `:unlock: ${actorName(params.releasedBy)} released the lock on \`${escapeMrkdwn(params.environment)}\`${theirs}.`,
  );
}

/** Tells a user that the lock changed hands before their unlock arrived, so nothing was released. */
export function lockChanged(params: {
  environment: string;
  owner: string;
}): CommandReply {
  return textReply(
    `The lock on \`${escapeMrkdwn(params.environment)}\` changed hands while you asked; it is now held by ${actorName(params.owner)}, and nothing was released. Run the command again to release the new lock.`,
  );
}

export function notLocked(environment: string): CommandReply {
  return textReply(
    `\`${escapeMrkdwn(environment)}\` is not locked, so there is nothing to release.`,
  );
}

/** Reminds a channel of a lock still held. */
export function lockReminder(params: {
  lock: EnvironmentLock;
  now: Date;
}): CommandReply {
  const { lock, now } = params;
  return textReply(
    `:hourglass: Reminder: ${actorName(lock.owner)} has held the lock on \`${escapeMrkdwn(lock.environment)}\` for ${formatAge(now.getTime() - lock.acquiredAt.getTime())}${reasonText(lock.reason)}. It expires ${slackTime(lock.expiresAt)}; \`/gantry unlock ${escapeMrkdwn(lock.environment)}\` releases it sooner.`,
  );
}

function reasonText(reason: string): string {
  return reason === "" ? "" : ` for “${escapeMrkdwn(reason)}”`;
}
