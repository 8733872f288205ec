import type { VersionDecision } from "./deploy-winner.js";
import type { VersionEvaluation } from "./evaluate-version.js";

/** Outcome of a retraining run, with the data its messages report. */
export type RetrainingOutcome =
  | { kind: "training_failed"; conclusion: string }
  | { kind: "no_version" }
  | { kind: "model_removed" }
  | { kind: "dispatch_failed" | "evaluation_failed"; detail: string }
  | (VersionDecision & { evaluation: VersionEvaluation });
