import { describe, expect, it } from "vitest";
import { deploymentStatusJob } from "../../jobs/deployment-status.js";
import { readFixture, readJsonFixture } from "../../scripts/fixtures.js";
import { githubSignature } from "../../scripts/signing.js";
import { useGantryServer } from "../helpers/gantry-server.js";
import {
  nockGetContent,
  nockInstallationToken,
} from "../helpers/github-api.js";
import {
  REPO,
  SAMPLE_CONFIG,
  storeSampleConfig,
} from "../helpers/repo-config.js";
import { queuedJobs } from "../helpers/services.js";
import { WEBHOOK_SECRET } from "../helpers/settings.js";

const { server } = useGantryServer();

/** The installation in GitHub's published push example. */
const PUSH_INSTALLATION = 1;

/** Posts a webhook the way GitHub does: compact JSON, signed with the webhook secret unless `signature` is given. */
async function sendWebhook(params: {
  event: string;
  body: string;
  deliveryId?: string;
  signature?: string | null;
}): Promise<{ status: number; body: string }> {
  const signature =
    params.signature === undefined
      ? githubSignature(params.body, WEBHOOK_SECRET)
      : params.signature;
  const response = await fetch(`${server().url}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/0000000",
      "x-github-event": params.event,
      "x-github-delivery":
        params.deliveryId ?? "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x-github-hook-id": "292430182",
      ...(signature === null ? {} : { "x-hub-signature-256": signature }),
    },
    body: params.body,
  });
  return { status: response.status, body: await response.text() };
}

/** Returns a published example event, changed by `edit` and compacted as GitHub sends it. */
function fixtureBody(path: string, edit: (event: any) => void = () => {}) {
  const event = readJsonFixture<any>(path);
  edit(event);
  return JSON.stringify(event);
}

/** Returns the published push example, to the default branch, with a commit that changes the configuration. */
function configPush(): string {
  return fixtureBody("github/push.branch.json", (event) => {
    event.commits[0].modified = [".github/gantry.yml"];
  });
}

async function bullKeys(): Promise<string[]> {
  return server().services.redis.keys("bull:*");
}

describe("GitHub webhooks", () => {
  it("rejects a wrong signature with 401", async () => {
    const body = fixtureBody("github/deployment_status.created.success.json");

    const response = await sendWebhook({
      event: "deployment_status",
      body,
      signature: githubSignature(body, "another-webhook-secret"),
    });

    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toEqual({
      error: "X-Hub-Signature-256 does not match the request body",
    });
    expect(await bullKeys()).toEqual([]);
  });

  it("rejects a missing signature with 401", async () => {
    const response = await sendWebhook({
      event: "deployment_status",
      body: fixtureBody("github/deployment_status.created.success.json"),
      signature: null,
    });

    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toEqual({
      error:
        "missing X-Hub-Signature-256 header; sign the body with the webhook secret",
    });
    expect(await bullKeys()).toEqual([]);
  });

  it("rejects malformed JSON with 400", async () => {
    const body = readFixture(
      "github/deployment_status.created.success.json",
    ).slice(0, 200);

    const response = await sendWebhook({ event: "deployment_status", body });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: expect.stringMatching(/JSON/) as string,
    });
    expect(await bullKeys()).toEqual([]);
  });

  it("acknowledges an event it does not use", async () => {
    const response = await sendWebhook({
      event: "check_suite",
      body: fixtureBody("github/check_suite.completed.json"),
    });

    expect(response.status).toBe(200);
    expect(await bullKeys()).toEqual([]);
  });

  it("queues a redelivered status once", async () => {
    const body = fixtureBody(
      "github/deployment_status.created.success.json",
      (event) => {
        event.deployment.payload = {
          model: "churn",
          version: "42",
          traffic_percent: 100,
          promotion_id: "prm_lx7k2m9a0b1c2d3e4f",
          rollback: false,
        };
      },
    );
    const deliveryId = "d5b1c6a0-1f0e-11ef-8a6c-2b1f1c7e9a01";

    const first = await sendWebhook({
      event: "deployment_status",
      body,
      deliveryId,
    });
    const second = await sendWebhook({
      event: "deployment_status",
      body,
      deliveryId,
    });

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await queuedJobs(server().services, deploymentStatusJob)).toEqual([
      {
        id: `deployment-status.${deliveryId}`,
        data: {
          deliveryId,
          deploymentId: 145988746,
          state: "success",
          description: "",
          logUrl: "",
          promotionId: "prm_lx7k2m9a0b1c2d3e4f",
        },
      },
    ]);
  });

  it("queues each delivery of a status", async () => {
    const body = fixtureBody("github/deployment_status.created.failure.json");

    await sendWebhook({ event: "deployment_status", body, deliveryId: "d-1" });
    await sendWebhook({ event: "deployment_status", body, deliveryId: "d-2" });

    const jobs = await queuedJobs(server().services, deploymentStatusJob);
    expect(jobs.map((job) => job.id)).toEqual([
      "deployment-status.d-1",
      "deployment-status.d-2",
    ]);
    expect(jobs[0]?.data).toMatchObject({
      state: "failure",
      description: "Canary error rate above threshold",
    });
  });
});

describe("GitHub configuration pushes", () => {
  it("reloads a changed configuration", async () => {
    nockInstallationToken(PUSH_INSTALLATION);
    nockGetContent(REPO, ".github/gantry.yml", SAMPLE_CONFIG);

    const response = await sendWebhook({ event: "push", body: configPush() });

    expect(response.status).toBe(200);
    const entry = await server().services.registry.entry(`${REPO}:churn`);
    expect(entry).toMatchObject({
      key: `${REPO}:churn`,
      installationId: PUSH_INSTALLATION,
      model: { registry: "churn-model" },
      order: ["dev", "staging", "production"],
    });
  });

  it("keeps the last valid configuration", async () => {
    const { registry } = server().services;
    await storeSampleConfig(registry, { installationId: PUSH_INSTALLATION });
    nockInstallationToken(PUSH_INSTALLATION);
    nockGetContent(
      REPO,
      ".github/gantry.yml",
      SAMPLE_CONFIG.replace('">= 0.90"', '"about 0.9"').replace(
        "approvers: [S0MLLEADS]",
        "approvers: [bob]",
      ),
    );

    const response = await sendWebhook({ event: "push", body: configPush() });

    expect(response.status).toBe(200);
    expect((await registry.entry(`${REPO}:churn`))?.model.gates).toEqual({
      accuracy: ">= 0.90",
      latency_p99_ms: "<= 2000",
    });
    expect(
      (await registry.problems(REPO)).map((problem) => problem.path).sort(),
    ).toEqual([
      "environments.staging.approvers[0]",
      "models.churn.gates.accuracy",
    ]);
  });

  it("records a YAML syntax error", async () => {
    const { registry } = server().services;
    await storeSampleConfig(registry, { installationId: PUSH_INSTALLATION });
    nockInstallationToken(PUSH_INSTALLATION);
    nockGetContent(REPO, ".github/gantry.yml", "models:\n  churn: [unclosed\n");

    const response = await sendWebhook({ event: "push", body: configPush() });

    expect(response.status).toBe(200);
    expect((await registry.entry(`${REPO}:churn`))?.model.registry).toBe(
      "churn-model",
    );
    expect(await registry.problems(REPO)).toEqual([
      {
        path: "(yaml)",
        message: expect.stringContaining("invalid YAML") as string,
      },
    ]);
  });

  it("ignores a push to another branch", async () => {
    const body = fixtureBody("github/push.branch.json", (event) => {
      event.ref = "refs/heads/experiment";
      event.commits[0].modified = [".github/gantry.yml"];
    });

    const response = await sendWebhook({ event: "push", body });

    expect(response.status).toBe(200);
    expect(await server().services.registry.modelKeys()).toEqual([]);
  });

  it("ignores a push that leaves the configuration alone", async () => {
    const response = await sendWebhook({
      event: "push",
      body: fixtureBody("github/push.branch.json"),
    });

    expect(response.status).toBe(200);
    expect(await server().services.registry.modelKeys()).toEqual([]);
  });
});
