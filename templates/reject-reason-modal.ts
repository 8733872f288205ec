import type { View } from "@slack/types";
import type { Promotion } from "../src/promotion.js";
import { LIMITS, truncate } from "./limits.js";

export const REJECT_VIEW = "promotion_reject_reason";
export const REASON_BLOCK = "reason_block";
export const REASON_INPUT = "reason_input";

/** Builds the modal that asks why a promotion is rejected; the promotion id rides in private_metadata. */
export function rejectReasonModal(promotion: Promotion): View {
  return {
    type: "modal",
    callback_id: REJECT_VIEW,
    private_metadata: promotion.id,
    title: { type: "plain_text", text: "Reject promotion" },
    submit: { type: "plain_text", text: "Reject" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: truncate(
            `Reject *${promotion.modelName} ${promotion.version}* → *${promotion.environment}*?`,
            LIMITS.sectionText,
          ),
        },
      },
      {
        type: "input",
        block_id: REASON_BLOCK,
        label: { type: "plain_text", text: "Reason" },
        element: {
          type: "plain_text_input",
          action_id: REASON_INPUT,
          multiline: true,
          min_length: 3,
          max_length: 1000,
        },
      },
    ],
  };
}
