import { ConfigError } from "../../src/config/config";
import { StartupError, StartupErrorCode } from "../../src/startup/startup.error";
import { describeStartupFailure } from "../../src/startup/startup-failure";

describe("describeStartupFailure", () => {
  it("words every code as one line ending with the code", () => {
    for (const code of Object.values(StartupErrorCode)) {
      const { line } = describeStartupFailure(new StartupError(code, "somewhere", "a reason"));
      expect(line).not.toContain("\n");
      expect(line).toContain("somewhere");
      expect(line.endsWith(`[${code}]`)).toBe(true);
    }
  });

  it("turns a ConfigError into CONFIG_INVALID naming the variable", () => {
    const failure = describeStartupFailure(new ConfigError("PORT", 'expected an integer, got "x"'));
    expect(failure.code).toBe("CONFIG_INVALID");
    expect(failure.line).toBe(
      'Configuration error: PORT expected an integer, got "x". Fix PORT in the environment (every variable is described in .env.example). [CONFIG_INVALID]',
    );
  });

  it("keeps an unexpected error to one line, masks secrets, and keeps the stack apart", () => {
    const failure = describeStartupFailure(
      new Error("failed with hunter2-secret\n  and more", { cause: new Error("inner") }),
      ["hunter2-secret"],
    );
    expect(failure.code).toBe("UNEXPECTED");
    expect(failure.line).toBe(
      "Cannot start the gateway: Error: failed with *** and more. Run with LOG_LEVEL=debug for the stack trace.",
    );
    expect(failure.stack).toContain("Caused by:");
    expect(failure.stack).not.toContain("hunter2-secret");
  });
});
