// A program that requires stack config nobody set.
const pulumi = require("@pulumi/pulumi");
const { Bridge } = require("ovslab");

const size = new pulumi.Config().requireNumber("tenantCount");
const ports = Array.from({ length: size }, (_, i) => ({ name: `vm${i}`, type: "internal", tag: 100 + i }));
new Bridge("br-int", { connection: { host: "192.0.2.1" }, ports });
