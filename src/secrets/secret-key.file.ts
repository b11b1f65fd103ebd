import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { StartupError, StartupErrorCode } from "../startup/startup.error";
import { parseSecretKey, SecretBox, SecretBoxError } from "./secret-box";

export interface SecretKeySettings {
  readonly secretKey: string | null;
  readonly previousSecretKeys: readonly string[];
  readonly dataDir: string;
}

export interface LoadedSecretBox {
  readonly box: SecretBox;
  /** The key file this start created, if any (to be backed up). */
  readonly generatedFile: string | null;
  /** The key file in use when group or others may read it (worth a warning). */
  readonly exposedFile: string | null;
}

/**
 * The SecretBox for this process: the configured key, or one generated into the data
 * directory (0600) on first start and reused after. A key that does not parse, or a key
 * file that cannot be read or written, is a StartupError naming the variable or the file.
 */
export function loadSecretBox(settings: SecretKeySettings): LoadedSecretBox {
  const previous = settings.previousSecretKeys.map((raw, index) =>
    parseOrFail(raw, `GATEWAY_SECRET_KEYS_PREVIOUS (key ${index + 1})`),
  );
  if (settings.secretKey !== null) {
    return {
      box: new SecretBox(parseOrFail(settings.secretKey, "GATEWAY_SECRET_KEY"), previous),
      generatedFile: null,
      exposedFile: null,
    };
  }
  const file = path.join(settings.dataDir, "secret.key");
  if (fs.existsSync(file)) {
    return fromFile(file, previous);
  }
  try {
    fs.mkdirSync(settings.dataDir, { recursive: true });
  } catch (error) {
    throw StartupError.ofSystemError(StartupErrorCode.DATA_DIR_UNUSABLE, settings.dataDir, error);
  }
  const key = randomBytes(32);
  // "wx": never overwrite a key another process wrote a moment ago.
  try {
    fs.writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    fs.chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      return fromFile(file, previous);
    }
    throw StartupError.ofSystemError(StartupErrorCode.DATA_DIR_UNUSABLE, file, error);
  }
  return { box: new SecretBox(key, previous), generatedFile: file, exposedFile: null };
}

function fromFile(file: string, previous: readonly Buffer[]): LoadedSecretBox {
  let raw: string;
  let mode: number;
  try {
    raw = fs.readFileSync(file, "utf8");
    mode = fs.statSync(file).mode;
  } catch (error) {
    throw StartupError.ofSystemError(StartupErrorCode.SECRET_KEY_FILE_UNREADABLE, file, error);
  }
  let key: Buffer;
  try {
    key = parseSecretKey(raw);
  } catch (error) {
    throw new StartupError(
      StartupErrorCode.SECRET_KEY_FILE_INVALID,
      file,
      (error as Error).message,
      { cause: error },
    );
  }
  return {
    box: new SecretBox(key, previous),
    generatedFile: null,
    exposedFile: (mode & 0o077) !== 0 ? file : null,
  };
}

function parseOrFail(raw: string, variable: string): Buffer {
  try {
    return parseSecretKey(raw);
  } catch (error) {
    if (error instanceof SecretBoxError) {
      throw new StartupError(StartupErrorCode.SECRET_KEY_INVALID, variable, error.message, {
        cause: error,
      });
    }
    throw error;
  }
}
