import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { parseSecretKey, SecretBox } from "./secret-box";

export interface SecretKeySettings {
  readonly secretKey: string | null;
  readonly previousSecretKeys: readonly string[];
  readonly dataDir: string;
}

/**
 * The SecretBox for this process: the configured key, or one generated into the data
 * directory (0600) on first start and reused after.
 */
export function loadSecretBox(settings: SecretKeySettings): {
  box: SecretBox;
  generatedFile: string | null;
} {
  const previous = settings.previousSecretKeys.map(parseSecretKey);
  if (settings.secretKey !== null) {
    return {
      box: new SecretBox(parseSecretKey(settings.secretKey), previous),
      generatedFile: null,
    };
  }
  const file = path.join(settings.dataDir, "secret.key");
  if (fs.existsSync(file)) {
    return {
      box: new SecretBox(parseSecretKey(fs.readFileSync(file, "utf8")), previous),
      generatedFile: null,
    };
  }
  fs.mkdirSync(settings.dataDir, { recursive: true });
  const key = randomBytes(32);
  // "wx": never overwrite a key another process wrote a moment ago.
  try {
    fs.writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      return {
        box: new SecretBox(parseSecretKey(fs.readFileSync(file, "utf8")), previous),
        generatedFile: null,
      };
    }
    throw error;
  }
  fs.chmodSync(file, 0o600);
  return { box: new SecretBox(key, previous), generatedFile: file };
}
