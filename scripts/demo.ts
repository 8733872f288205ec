/**
 * Plays one promotion through a real Gantry process against stand-in Slack,
 * GitHub and MLflow servers on loopback, printing each step. Exits 0 only
 * when the promotion succeeded and the registry alias moved.
 */
import { Harness } from "./harness.js";
import { SlackStandIn } from "./stand-ins/slack-stand-in.js";
import type { RecordedRequest } from "./stand-ins/stand-in-server.js";

const REQUESTER = "U0000001";
const APPROVER = "U0000002";

type CardBlock = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { value?: string }[];
};

function step(number: number, text: string): void {
  console.log(`\n${number}. ${text}`);
}

function detail(text: string): void {
  console.log(`   ${text.replace(/\n/g, "\n   ")}`);
}

function cardSummary(request: RecordedRequest): string {
  const blocks = (request.body as { blocks?: CardBlock[] }).blocks ?? [];
  const header =
    blocks.find((block) => block.type === "header")?.text?.text ?? "";
  const fields =
    blocks
      .find((block) => block.fields)
      ?.fields?.map((field) => field.text.replace("\n", " ")) ?? [];
  return [header, ...fields].join("\n");
}

async function main(): Promise<number> {
  const harness = new Harness({
    onLog: process.env.DEMO_VERBOSE
      ? (line) => console.log(`   [gantry] ${line}`)
      : undefined,
  });
  try {
    step(
      1,
      "Starting stand-in GitHub, Slack and MLflow servers and Gantry (developer mode, throwaway redis-server)",
    );
    await harness.start();
    detail(
      `Gantry ${harness.gantryUrl}, GitHub ${harness.github.url}, Slack ${harness.slack.url}, MLflow ${harness.mlflow.url}`,
    );
    detail(
      "Gantry loaded .github/gantry.yml of example-user/Hello-World: model churn, environments dev, staging, production",
    );

    step(
      2,
      "churn 42 goes to dev first: dev needs no approval, and staging comes after dev",
    );
    const dev = await harness.promoteToDev("42");
    detail(
      `Promotion ${dev.promotionId} deployed churn 42 to dev and succeeded`,
    );

    step(
      3,
      `${REQUESTER} types /promote churn 42 staging (signed slash command from the fixture)`,
    );
    const ack = await harness.slashCommand({
      text: "churn 42 staging",
      user: REQUESTER,
    });
    detail(
      `Gantry acknowledged with HTTP ${ack.status}: ${((await ack.json()) as { text?: string }).text ?? ""}`,
    );

    step(4, "Gantry checks version 42 in MLflow and posts the approval card");
    const card = await harness.slack.waitFor(
      (request) =>
        SlackStandIn.isPostedCard(request) &&
        SlackStandIn.text(request).includes("→ staging"),
      20_000,
      "the approval card",
    );
    detail(cardSummary(card));
    const blocks = (card.body as { blocks: CardBlock[] }).blocks;
    const promotionId =
      blocks
        .flatMap((block) => block.elements ?? [])
        .find((element) => element.value)?.value ?? "";
    const ts = SlackStandIn.replyTs(card) ?? "";
    detail(
      `Card ${ts} in ${(card.body as { channel: string }).channel} for promotion ${promotionId}`,
    );

    step(5, `${REQUESTER} presses Approve on their own request`);
    await harness.pressButton({
      action: "promotion_approve",
      promotionId,
      user: REQUESTER,
      messageTs: ts,
    });
    const refusal = await harness.slack.waitFor(
      (request) =>
        request.route === "response_url" &&
        SlackStandIn.text(request).includes("cannot approve"),
      10_000,
      "the self-approval refusal",
    );
    detail(`Ephemeral reply: ${SlackStandIn.text(refusal)}`);

    step(
      6,
      `${APPROVER}, an approver for staging, presses Approve (block_actions fixture)`,
    );
    await harness.pressButton({
      action: "promotion_approve",
      promotionId,
      user: APPROVER,
      messageTs: ts,
    });
    const deployment = await harness.github.waitFor(
      (request) =>
        request.route === "repos.createDeployment" &&
        (request.body as { environment?: string }).environment === "staging",
      20_000,
      "a deployment",
    );
    const created = harness.github.deployments.find(
      (candidate) => candidate.environment === "staging",
    );
    if (!created) throw new Error("the GitHub stand-in recorded no deployment");
    detail(
      `GitHub deployment ${created.id} to ${created.environment} at ${created.sha.slice(0, 7)}, payload ${JSON.stringify((deployment.body as { payload: unknown }).payload)}`,
    );

    step(
      7,
      "The deploy workflow reports in_progress, then success (deployment_status fixtures, signed)",
    );
    const progress = await harness.webhook(
      "deployment_status",
      harness.deploymentStatusPayload({
        deploymentId: created.id,
        state: "in_progress",
      }),
      "demo-delivery-1",
    );
    detail(`in_progress webhook: HTTP ${progress.status}`);
    const success = await harness.webhook(
      "deployment_status",
      harness.deploymentStatusPayload({
        deploymentId: created.id,
        state: "success",
      }),
      "demo-delivery-2",
    );
    detail(`success webhook: HTTP ${success.status}`);
    const redelivery = await harness.webhook(
      "deployment_status",
      harness.deploymentStatusPayload({
        deploymentId: created.id,
        state: "success",
      }),
      "demo-delivery-2",
    );
    detail(
      `the same delivery again: HTTP ${redelivery.status} (queued once, by delivery id)`,
    );

    step(8, "Gantry moves the MLflow alias and updates the card in place");
    const alias = await harness.mlflow.waitFor(
      (request) =>
        request.route === "registered-models/alias POST" &&
        (request.body as { alias?: string }).alias === "staging",
      20_000,
      "the alias move",
    );
    detail(`MLflow alias: ${JSON.stringify(alias.body)}`);
    const finalCard = await harness.slack.waitFor(
      (request) =>
        request.route === "chat.update" &&
        (request.body as { ts?: string }).ts === ts &&
        JSON.stringify(request.body).includes("Succeeded"),
      20_000,
      "the card updated to Succeeded",
    );
    detail(cardSummary(finalCard));
    const thread = harness.slack
      .callsTo("chat.postMessage")
      .filter((request) => SlackStandIn.threadTs(request) === ts);
    detail(
      `Thread replies so far:\n${thread.map((request) => `- ${SlackStandIn.text(request)}`).join("\n")}`,
    );

    const aliasNow = harness.mlflow.aliases.get("churn-model/staging");
    if (aliasNow !== "42")
      throw new Error(
        `the staging alias points to ${aliasNow ?? "nothing"}, expected 42`,
      );
    console.log(
      "\nThe promotion succeeded: churn 42 is live in staging and the staging alias points to it.",
    );
    return 0;
  } catch (error) {
    console.error(`\nThe demo failed: ${(error as Error).message}`);
    console.error(harness.logs.slice(-15).join("\n"));
    return 1;
  } finally {
    await harness.stop();
  }
}

process.exitCode = await main();
