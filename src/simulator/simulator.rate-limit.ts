import { createHash } from "node:crypto";

import { SimulatorError } from "./simulator.errors";

/**
 * A REST API rate limit rule (per user, per clock hour), as ServiceNow applies them: every answer
 * under the rule carries X-RateLimit-* headers, and past the limit the answer is 429.
 */

export interface RateLimitRule {
  readonly limitPerHour: number;
  /** Rule name; its sys_id goes into X-RateLimit-Rule. */
  readonly name?: string;
}

export interface RateLimitDecision {
  readonly headers: Readonly<Record<string, string>>;
  readonly limited: boolean;
  readonly retryAfterSeconds: number;
}

const HOUR_MS = 3_600_000;

export function rateLimitHeaders(
  limit: number,
  resetSeconds: number,
  ruleId: string,
): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(limit),
    "X-RateLimit-Reset": String(resetSeconds),
    "X-RateLimit-Rule": ruleId,
  };
}

export function ruleSysId(name: string): string {
  return createHash("md5").update(name).digest("hex");
}

export class RateLimiter {
  private rule: (RateLimitRule & { readonly id: string }) | null = null;
  private window = -1;
  private readonly counts = new Map<string, number>();

  set(rule: RateLimitRule | null): void {
    if (rule && (!Number.isInteger(rule.limitPerHour) || rule.limitPerHour < 0)) {
      throw new SimulatorError("INVALID_INPUT", "limitPerHour must be a non-negative integer");
    }
    this.rule = rule ? { ...rule, id: ruleSysId(rule.name ?? "simulator rate limit") } : null;
    this.counts.clear();
  }

  get current(): RateLimitRule | null {
    return this.rule;
  }

  /** Counts one request by the user; null when no rule is set. */
  check(user: string, nowMs: number): RateLimitDecision | null {
    if (!this.rule) {
      return null;
    }
    const window = Math.floor(nowMs / HOUR_MS);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const resetMs = (window + 1) * HOUR_MS;
    const headers = rateLimitHeaders(this.rule.limitPerHour, resetMs / 1000, this.rule.id);
    const used = this.counts.get(user) ?? 0;
    if (used >= this.rule.limitPerHour) {
      return {
        headers,
        limited: true,
        retryAfterSeconds: Math.max(1, Math.ceil((resetMs - nowMs) / 1000)),
      };
    }
    this.counts.set(user, used + 1);
    return { headers, limited: false, retryAfterSeconds: 0 };
  }
}
