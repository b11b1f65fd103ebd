import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { keyIdOf, parseSecretKey, SecretBox, SecretBoxError } from "../../src/secrets/secret-box";
import { loadSecretBox } from "../../src/secrets/secret-key.file";

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);

describe("SecretBox", () => {
  it("round-trips a secret and never stores the plaintext", () => {
    const box = new SecretBox(keyA);
    const sealed = box.encrypt("hunter2-password", "id-1:password");
    expect(sealed).not.toContain("hunter2");
    expect(sealed.split(".")[1]).toBe(keyIdOf(keyA));
    expect(box.decrypt(sealed, "id-1:password")).toBe("hunter2-password");
  });

  it("uses a fresh IV each time so equal secrets do not look equal", () => {
    const box = new SecretBox(keyA);
    expect(box.encrypt("same", "a")).not.toBe(box.encrypt("same", "a"));
  });

  it("rejects a ciphertext moved to another row or column", () => {
    const box = new SecretBox(keyA);
    const sealed = box.encrypt("secret", "id-1:password");
    expect(() => box.decrypt(sealed, "id-2:password")).toThrow(SecretBoxError);
    expect(() => box.decrypt(sealed, "id-1:clientSecret")).toThrow(SecretBoxError);
  });

  it("rejects a tampered ciphertext", () => {
    const box = new SecretBox(keyA);
    const parts = box.encrypt("secret", "a").split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => box.decrypt(parts.join("."), "a")).toThrow(/failed authentication/);
  });

  it("reads secrets written with a previous key after rotation and flags them for re-encryption", () => {
    const old = new SecretBox(keyA).encrypt("secret", "a");
    const rotated = new SecretBox(keyB, [keyA]);
    expect(rotated.decrypt(old, "a")).toBe("secret");
    expect(rotated.needsRotation(old)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt("secret", "a"))).toBe(false);
  });

  it("names the missing key id when the key that wrote a secret is gone", () => {
    const old = new SecretBox(keyA).encrypt("secret", "a");
    expect(() => new SecretBox(keyB).decrypt(old, "a")).toThrow(keyIdOf(keyA));
  });

  it("parses hex and base64 keys and refuses other lengths", () => {
    expect(parseSecretKey(keyA.toString("hex")).equals(keyA)).toBe(true);
    expect(parseSecretKey(keyA.toString("base64")).equals(keyA)).toBe(true);
    expect(() => parseSecretKey("short")).toThrow(SecretBoxError);
  });
});

describe("loadSecretBox", () => {
  it("generates a key with 0600 permissions once and reuses it", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-key-"));
    const first = loadSecretBox({ secretKey: null, previousSecretKeys: [], dataDir });
    const file = path.join(dataDir, "secret.key");
    expect(first.generatedFile).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = loadSecretBox({ secretKey: null, previousSecretKeys: [], dataDir });
    expect(second.generatedFile).toBeNull();
    const sealed = first.box.encrypt("secret", "a");
    expect(second.box.decrypt(sealed, "a")).toBe("secret");
  });

  it("prefers the configured key over the data directory", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-key-"));
    const { box, generatedFile } = loadSecretBox({
      secretKey: keyB.toString("hex"),
      previousSecretKeys: [],
      dataDir,
    });
    expect(generatedFile).toBeNull();
    expect(box.currentKeyId).toBe(keyIdOf(keyB));
    expect(fs.existsSync(path.join(dataDir, "secret.key"))).toBe(false);
  });
});
