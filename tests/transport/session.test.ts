import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { ByteQueue, describeCommand, framedCommand, newMarker } from "../../transport/session";

describe("ByteQueue", () => {
  it("finds a marker split across chunks and returns the bytes before it", () => {
    const q = new ByteQueue();
    const marker = Buffer.from("__m_123__");
    q.push(Buffer.from("hello __m_"));
    assert.equal(q.find(marker), -1);
    q.push(Buffer.from("123__rest"));
    assert.equal(q.find(marker), 6);
    assert.equal(q.take(6).toString(), "hello ");
    q.take(marker.length);
    assert.equal(q.take(q.length).toString(), "rest");
  });

  it("holds more than its initial capacity", () => {
    const q = new ByteQueue();
    const chunk = Buffer.alloc(100_000, 0x61);
    for (let i = 0; i < 20; i++) q.push(chunk);
    q.push(Buffer.from("END"));
    assert.equal(q.find(Buffer.from("END")), 2_000_000);
  });
});

describe("framedCommand", () => {
  it("runs in sh with its stdin, then prints the marker and exit status on stdout and the marker on stderr", () => {
    const marker = newMarker();
    const script = framedCommand({ argv: ["sh", "-c", "cat; echo oops >&2; exit 7"], stdin: "in put" }, marker);
    const out = execFileSync("sh", ["-c", script + "exit 0"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    assert.equal(out, `in put\n${marker}7\n`);
  });

  it("carries stdin byte for byte in dash, also lines that start like a heredoc delimiter and go on in UTF-8", () => {
    const marker = newMarker();
    const stdin = "Oé\nOVSLAB_EOé\nOVSLAB_EOF\n'quoted' $(not run) \\ `tick`\n\u0001\u007f\n";
    const script = framedCommand({ argv: ["cat"], stdin }, marker);
    const out = execFileSync("dash", ["-c", script + "exit 0"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    assert.equal(out, `${stdin}${marker}0\n`);
  });

  it("keeps builtins such as exit from ending the shell around it", () => {
    const marker = newMarker();
    const script = framedCommand({ argv: ["exit", "4"] }, marker) + "echo still-here\n";
    const out = execFileSync("sh", ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    assert.equal(out, `${marker}4\nstill-here\n`);
  });

  it("makes a fresh marker each time", () => {
    assert.notEqual(newMarker(), newMarker());
    assert.match(newMarker(), /^__ovslab_[0-9a-f]{24}__$/);
  });
});

describe("describeCommand", () => {
  it("quotes like the shell line and cuts a long one short", () => {
    assert.equal(describeCommand({ argv: ["ovs-vsctl", "add-br", "a b"] }), "ovs-vsctl add-br 'a b'");
    assert.equal(describeCommand({ argv: ["x", "y".repeat(500)] }).length, 201);
  });
});
