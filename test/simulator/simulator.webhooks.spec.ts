import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { createSimulator, type Simulator } from "../../src/simulator";

interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const SECRET = "a".repeat(64);

describe("simulator business rules (webhook notifications)", () => {
  let sim: Simulator;
  let receiver: http.Server;
  let receiverUrl: string;
  const received: Received[] = [];

  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim.url}/__sim/${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : {}) as { result: unknown } };
  };

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(202, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    sim = createSimulator();
    await sim.start();
  });

  afterAll(async () => {
    await sim.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it("posts a signed notification for each write once configured through the control API", async () => {
    const configured = await control("POST", "webhook", { url: receiverUrl, secret: SECRET });
    expect(configured.status).toBe(200);
    expect(JSON.stringify(configured.json)).not.toContain(SECRET);

    const created = await control("POST", "records/incident", { short_description: "pushed" });
    const sysId = (created.json.result as { sys_id: string }).sys_id;
    await control("PATCH", `records/incident/${sysId}`, { state: "2" });
    await control("DELETE", `records/incident/${sysId}`);
    await sim.webhooks.idle();

    expect(received.map((entry) => JSON.parse(entry.body) as Record<string, string>)).toEqual([
      expect.objectContaining({ table: "incident", sys_id: sysId, operation: "insert" }),
      expect.objectContaining({ table: "incident", sys_id: sysId, operation: "update" }),
      expect.objectContaining({ table: "incident", sys_id: sysId, operation: "delete" }),
    ]);
    for (const { headers, body } of received) {
      const timestamp = String(headers["x-gateway-timestamp"]);
      const expected = createHmac("sha256", SECRET).update(`${timestamp}.${body}`).digest("hex");
      expect(headers["x-gateway-signature"]).toBe(`sha256=${expected}`);
      expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
    }
    expect((await control("GET", "webhook")).json.result).toMatchObject({ sent: 3, failed: 0 });
  });

  it("notifies nothing for a generated dataset, nor once the webhook is removed", async () => {
    received.length = 0;
    sim.generate({ seed: 3, groups: 1, users: 2, incidents: 5, changes: 1 });
    await control("POST", "webhook", { url: null });
    sim.insert("incident", { short_description: "not pushed" });
    await sim.webhooks.idle();

    expect(received).toEqual([]);
  });

  it("counts a refused notification as failed without failing the write", async () => {
    sim.configureWebhook({ url: "http://127.0.0.1:1/closed", secret: SECRET });
    const record = sim.insert("incident", { short_description: "still written" });
    await sim.webhooks.idle();

    expect(sim.get("incident", record.sys_id)).toBeDefined();
    expect(sim.webhooks.status.failed).toBeGreaterThanOrEqual(1);
    sim.configureWebhook(null);
  });
});
