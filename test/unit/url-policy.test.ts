import { GatewayError } from "../../src/common/gateway.error";
import { Deployment } from "../../src/modules/integrations/integration.enums";
import { addressRefusal, normalizeInstanceUrl } from "../../src/modules/integrations/url-policy";

describe("instance URL policy", () => {
  it.each([
    ["https://acme.service-now.com/", Deployment.CLOUD, "https://acme.service-now.com"],
    ["https://ACME.service-now.com:443", Deployment.CLOUD, "https://acme.service-now.com"],
    ["http://10.0.0.5:8080/servicenow/", Deployment.ON_PREM, "http://10.0.0.5:8080/servicenow"],
    ["http://sn.corp.internal", Deployment.ON_PREM, "http://sn.corp.internal"],
  ])("normalises %s for %s", (raw, deployment, expected) => {
    expect(normalizeInstanceUrl(raw, deployment)).toBe(expected);
  });

  it.each([
    ["http://acme.service-now.com", Deployment.CLOUD, /https/],
    ["https://192.168.1.10", Deployment.CLOUD, /private/],
    ["https://localhost", Deployment.CLOUD, /loopback/],
    ["https://[::1]", Deployment.CLOUD, /private or loopback/],
    ["http://169.254.169.254", Deployment.ON_PREM, /metadata/],
    ["http://[fd00:ec2::254]", Deployment.ON_PREM, /metadata/],
    ["http://metadata.google.internal", Deployment.ON_PREM, /metadata/],
    ["ftp://acme.service-now.com", Deployment.ON_PREM, /https/],
    ["https://acme.service-now.com/?q=1", Deployment.CLOUD, /query string/],
  ])("refuses %s for %s", (raw, deployment, message) => {
    let caught: unknown;
    try {
      normalizeInstanceUrl(raw, deployment);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).field).toBe("input.url");
    expect((caught as GatewayError).message).toMatch(message);
  });

  it("refuses IPv4-mapped metadata addresses that DNS may return", () => {
    expect(addressRefusal("::ffff:169.254.169.254", Deployment.ON_PREM)).toMatch(/metadata/);
    expect(addressRefusal("10.1.1.1", Deployment.ON_PREM)).toBeNull();
    expect(addressRefusal("10.1.1.1", Deployment.CLOUD)).toMatch(/private/);
  });
});
