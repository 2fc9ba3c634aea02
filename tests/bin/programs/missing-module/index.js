// A program that needs a package nobody installed.
const { Bridge } = require("ovslab-extras-not-installed");

new Bridge("br-ex", { connection: { host: "192.0.2.1" } });
