import { BlockList, isIP } from "node:net";

import { GatewayError } from "../../common/gateway.error";
import { Deployment } from "./integration.enums";

/** Cloud metadata services: never a ServiceNow instance, a classic SSRF target. */
const METADATA_HOSTS = new Set([
  "metadata.google.internal",
  "metadata.goog",
  "metadata.azure.com",
  "instance-data",
  "instance-data.ec2.internal",
]);

const metadataAddresses = new BlockList();
metadataAddresses.addSubnet("169.254.0.0", 16, "ipv4"); // link-local: AWS, GCP, Azure, ECS
metadataAddresses.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud
metadataAddresses.addAddress("fd00:ec2::254", "ipv6"); // AWS IPv6
metadataAddresses.addSubnet("fe80::", 10, "ipv6");

const privateAddresses = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const) {
  privateAddresses.addSubnet(network, prefix, "ipv4");
}
privateAddresses.addAddress("::1", "ipv6");
privateAddresses.addAddress("::", "ipv6");
privateAddresses.addSubnet("fc00::", 7, "ipv6");

function family(address: string): "ipv4" | "ipv6" {
  return isIP(address) === 6 ? "ipv6" : "ipv4";
}

function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** Why an address is refused for this deployment, or null when it is allowed. */
export function addressRefusal(address: string, deployment: Deployment): string | null {
  const ip = unmapped(address);
  if (metadataAddresses.check(ip, family(ip))) {
    return `${ip} is a link-local / cloud metadata address, which is never allowed`;
  }
  if (deployment === Deployment.CLOUD && privateAddresses.check(ip, family(ip))) {
    return `${ip} is a private or loopback address; use deployment ON_PREM for instances on a private network`;
  }
  return null;
}

export function hostRefusal(hostname: string, deployment: Deployment): string | null {
  const host = hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
  if (METADATA_HOSTS.has(host)) {
    return `${host} is a cloud metadata host, which is never allowed`;
  }
  if (isIP(host) !== 0) {
    return addressRefusal(host, deployment);
  }
  if (deployment === Deployment.CLOUD && (host === "localhost" || host.endsWith(".localhost"))) {
    return `${host} is a loopback name; use deployment ON_PREM for instances on a private network`;
  }
  return null;
}

/**
 * Parses and normalises an instance URL (scheme, host, optional port and base path; no
 * credentials, query or fragment) and applies the deployment's policy: CLOUD needs https;
 * ON_PREM may use http and private addresses; metadata addresses are always refused.
 */
export function normalizeInstanceUrl(
  raw: string,
  deployment: Deployment,
  field = "input.url",
): string {
  const trimmed = raw.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw GatewayError.badInput(
      field,
      `"${trimmed.slice(0, 200)}" is not a URL; expected e.g. https://acme.service-now.com`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw GatewayError.badInput(field, "The instance URL must use https (or http for ON_PREM)");
  }
  if (deployment === Deployment.CLOUD && url.protocol !== "https:") {
    throw GatewayError.badInput(field, "A CLOUD instance URL must use https");
  }
  if (url.username || url.password) {
    throw GatewayError.badInput(field, "Put credentials in username/password, never in the URL");
  }
  if (url.search || url.hash) {
    throw GatewayError.badInput(field, "The instance URL must not have a query string or fragment");
  }
  const refusal = hostRefusal(url.hostname, deployment);
  if (refusal) {
    throw GatewayError.badInput(field, refusal);
  }
  const basePath = url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${basePath}`;
}
