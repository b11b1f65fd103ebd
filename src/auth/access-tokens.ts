import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { Caller, Role } from "../graphql/context.type";
import { StartupError, StartupErrorCode } from "../startup/startup.error";

const digest = (token: string): Buffer => createHash("sha256").update(token, "utf8").digest();

/** A writer token with the name the audit log shows for it. */
export interface NamedToken {
  readonly name: string;
  readonly token: string;
}

interface TokenEntry {
  readonly digest: Buffer;
  readonly role: Role;
  readonly name: string;
}

/** Maps bearer tokens to roles, comparing digests in constant time. */
export class AccessTokens {
  private readonly entries: readonly TokenEntry[];

  constructor(
    adminToken: string,
    viewerTokens: readonly string[],
    writerTokens: readonly NamedToken[] = [],
  ) {
    this.entries = [
      { digest: digest(adminToken), role: "admin", name: "admin" },
      ...viewerTokens.map((token, index): TokenEntry => ({
        digest: digest(token),
        role: "viewer",
        name: `viewer-${index + 1}`,
      })),
      ...writerTokens.map((entry): TokenEntry => ({
        digest: digest(entry.token),
        role: "writer",
        name: entry.name,
      })),
    ];
  }

  roleOf(token: string): Role | null {
    return this.callerOf(token)?.role ?? null;
  }

  /** The role and name of a token, or null when it is none of ours. */
  callerOf(token: string): Caller | null {
    const candidate = digest(token);
    let found: TokenEntry | null = null;
    // Check every entry so timing does not reveal which one matched.
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, candidate) && found === null) {
        found = entry;
      }
    }
    return found === null ? null : { role: found.role, tokenName: found.name };
  }
}

/** Reads `Authorization: Bearer <token>`; anything else yields null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) {
    return null;
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

export interface AdminTokenSource {
  readonly token: string;
  /** True when this start created it: the only time it is printed. */
  readonly generated: boolean;
  readonly file: string | null;
}

/**
 * The configured admin token, or (outside production) one generated into the data directory
 * with 0600 permissions on first start and reused after.
 */
export function resolveAdminToken(configured: string | null, dataDir: string): AdminTokenSource {
  if (configured !== null) {
    return { token: configured, generated: false, file: null };
  }
  const file = path.join(dataDir, "admin-token");
  try {
    if (fs.existsSync(file)) {
      const token = fs.readFileSync(file, "utf8").trim();
      if (token.length >= 16) {
        return { token, generated: false, file };
      }
    }
    fs.mkdirSync(dataDir, { recursive: true });
    const token = randomBytes(32).toString("base64url");
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    return { token, generated: true, file };
  } catch (error) {
    throw StartupError.ofSystemError(StartupErrorCode.DATA_DIR_UNUSABLE, file, error);
  }
}
