import type { RetrainingRun } from "../src/retraining/retraining-run.js";
import { escapeMrkdwn, LIMITS, truncate } from "./limits.js";

export type RetrainingStartedText = {
  channelMessage: string;
  ticketComment: string;
  reply: string;
};

const SOURCE_LABELS: Record<RetrainingRun["source"], string> = {
  slack: "/retrain",
  drift: "drift alert",
  schedule: "retraining schedule",
  pull_request: "merged pull request",
};

/** Renders the notices that a retraining run's training workflow was dispatched. */
export function retrainingStarted(run: RetrainingRun): RetrainingStartedText {
  const ref = run.ref ?? "the default branch";
  const link = run.workflowRunUrl
    ? `<${run.workflowRunUrl}|workflow run ${run.workflowRunId ?? ""}>`
    : "its workflow run is not listed yet";
  const requester =
    run.source === "slack"
      ? `<@${run.requestedBy}>`
      : escapeMrkdwn(run.requestedBy);

  const channelMessage = [
    `:gear: Retraining of *${escapeMrkdwn(run.modelName)}* started: \`${escapeMrkdwn(run.workflow)}\` on \`${escapeMrkdwn(ref)}\`, ${link}.`,
    `Reason: ${escapeMrkdwn(run.reason)}`,
    `Requested by ${requester} (${SOURCE_LABELS[run.source]})${run.ticket ? `, ticket ${escapeMrkdwn(run.ticket)}` : ""}.`,
  ].join("\n");

  const ticketComment = [
    `Gantry started retraining of ${run.modelName}: workflow ${run.workflow} on ${ref}${run.workflowRunUrl ? `, run ${run.workflowRunUrl}` : ""}.`,
    `Reason: ${run.reason}`,
    `Gantry comments here again when the run completes.`,
  ].join("\n");

  const reply = `Started retraining of ${escapeMrkdwn(run.modelName)}: \`${escapeMrkdwn(run.workflow)}\` on \`${escapeMrkdwn(ref)}\`, ${link}. The outcome goes to the model's Slack channel.`;

  return {
    channelMessage: truncate(channelMessage, LIMITS.sectionText),
    ticketComment,
    reply: truncate(reply, LIMITS.sectionText),
  };
}
