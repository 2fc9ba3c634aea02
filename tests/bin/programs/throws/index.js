// A program that gives up half way, as programs do when their input is wrong.
const { Bridge } = require("ovslab");

new Bridge("br-ex", { connection: { host: "192.0.2.1" } });
const tenants = [];
if (tenants.length === 0) throw new Error("no tenants configured");
