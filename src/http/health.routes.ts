import { Router } from "express";
import type { DataSource } from "typeorm";

export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<boolean> | boolean;
}

/** /healthz: the process answers. /readyz: the database (and each probe) is usable. */
export function healthRoutes(
  dataSource: DataSource,
  probes: readonly ReadinessProbe[] = [],
): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const checks: Record<string, "ok" | "failing"> = {};
    try {
      await dataSource.query("SELECT 1");
      checks.database = "ok";
    } catch {
      checks.database = "failing";
    }
    for (const probe of probes) {
      try {
        checks[probe.name] = (await probe.check()) ? "ok" : "failing";
      } catch {
        checks[probe.name] = "failing";
      }
    }
    const ready = Object.values(checks).every((status) => status === "ok");
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks });
  });
  return router;
}
