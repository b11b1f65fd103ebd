import { Router } from "express";

export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<boolean> | boolean;
}

/** A probe slower than this counts as failing: a database that hangs is not ready either. */
const PROBE_TIMEOUT_MS = 3000;

async function passes(probe: ReadinessProbe): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(probe.check()),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /healthz: the process answers (also while it waits for its database). /readyz: each probe
 * passes; `probes` is asked on every request, since some only exist once start-up is done.
 */
export function healthRoutes(probes: () => readonly ReadinessProbe[]): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const checks: Record<string, "ok" | "failing"> = {};
    for (const probe of probes()) {
      checks[probe.name] = (await passes(probe)) ? "ok" : "failing";
    }
    const ready = Object.values(checks).every((status) => status === "ok");
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks });
  });
  return router;
}
