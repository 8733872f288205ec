import { describe, expect, it } from "vitest";
import type { Promotion } from "../../src/promotion.js";
import { approvalCard } from "../../templates/approval-card.js";
import { newPromotion } from "../helpers/promotions.js";

function promotion(overrides: Partial<Promotion> = {}): Promotion {
  return {
    ...newPromotion(),
    kind: "release",
    id: "prm_000001",
    status: "pending_approval",
    rev: 1,
    createdAt: "2026-12-04T10:00:00.000Z",
    updatedAt: "2026-12-04T10:00:00.000Z",
    ...overrides,
  };
}

function text(card: ReturnType<typeof approvalCard>): string {
  return JSON.stringify(card.blocks);
}

function buttons(card: ReturnType<typeof approvalCard>): string[] {
  return card.blocks.flatMap((block) =>
    block.type === "actions"
      ? block.elements.map((element) =>
          "action_id" in element ? String(element.action_id) : "",
        )
      : [],
  );
}

describe("approvalCard states", () => {
  it("offers approve, preview and reject while pending", () => {
    const card = approvalCard({ promotion: promotion(), approvedBy: [] });

    expect(buttons(card)).toEqual([
      "promotion_approve",
      "promotion_preview",
      "promotion_reject",
    ]);
  });

  it("names the required group", () => {
    const card = approvalCard({
      promotion: promotion({ requiredGroup: "S0MLLEADS" }),
      approvedBy: ["U0000002"],
    });

    expect(text(card)).toContain(
      "1 of 2, 1 more needed, one from <!subteam^S0MLLEADS> required (<@U0000002>)",
    );
  });

  it("names the promotion that superseded it", () => {
    const card = approvalCard({
      promotion: promotion({
        status: "cancelled",
        supersededBy: "prm_000002",
        reason: "superseded by prm_000002 (version 43)",
      }),
      approvedBy: [],
    });

    expect(buttons(card)).toEqual([]);
    expect(text(card)).toContain(
      ":arrows_counterclockwise: *Superseded* by prm_000002: superseded by prm_000002 (version 43)",
    );
  });

  it("says it expired", () => {
    const card = approvalCard({
      promotion: promotion({
        status: "expired",
        reason: "no decision before the approval timeout",
      }),
      approvedBy: [],
    });

    expect(buttons(card)).toEqual([]);
    expect(text(card)).toContain(
      "*Expired:* no decision before the approval timeout.",
    );
  });

  it("warns while approvals are void", () => {
    const card = approvalCard({
      promotion: promotion({
        reason:
          "version 42 changed in the model registry; approvals given before are void",
      }),
      approvedBy: [],
    });

    expect(text(card)).toContain(
      ":warning: version 42 changed in the model registry",
    );
  });

  it("names a GitHub requester", () => {
    const card = approvalCard({
      promotion: promotion({
        requestedBy: "github:example-user",
        kind: "protection_rule",
      }),
      approvedBy: [],
    });

    expect(text(card)).toContain("*Requested by:*\\nGitHub user example-user");
  });

  it("names Gantry's own requests", () => {
    const card = approvalCard({
      promotion: promotion({ requestedBy: "gantry" }),
      approvedBy: [],
    });

    expect(text(card)).toContain("*Requested by:*\\nGantry (automation)");
  });
});
