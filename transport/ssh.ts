// The SSH transport: one connection per host, opened on first use and reused; commands
// stream over up to `maxChannels` persistent shells (see session.ts). A command that was
// sent is never retried: it may have run. Commands not yet sent survive a lost connection
// and go out over the next one.
import type { Client } from "ssh2";
import type { Socket } from "node:net";
import { Command } from "../core/shell";
import { ConnectionArgs, Connection, connectionLabel, parseConnection, redact } from "./connection";
import { dialWithRetry } from "./dial";
import { ShellSession } from "./session";
import { CommandResult, RunOptions, Transport } from "./types";

export interface SshTransportOptions {
  /** Per-command timeout when `run` is given none. Default 60 s. */
  commandTimeoutMs?: number;
  /** Shell channels run in parallel on the connection. Default 4 (sshd allows 10). */
  maxChannels?: number;
  /** Where the one skipHostKeyCheck warning goes. Default `console.warn`. */
  warn?: (message: string) => void;
  /** Delay before dial retry `n`; tests shorten it. */
  retryDelayMs?: (n: number) => number;
}

/** Counters for benchmarks and tests. */
export interface SshStats {
  connectionsOpened: number;
  channelsOpened: number;
  commandsRun: number;
}

interface Job {
  command: Command;
  timeoutMs: number;
  resolve(result: CommandResult): void;
  reject(err: Error): void;
}

/** One live SSH connection and its shells. */
interface Link {
  client: Client;
  socket: Socket;
  sessions: Set<ShellSession>;
  opening: number;
  maxSessions: number;
  alive: boolean;
}

export class SshTransport implements Transport {
  readonly label: string;
  private readonly connection: Connection;
  private readonly shell: string;
  private link?: Link;
  private connecting = false;
  private readonly queue: Job[] = [];
  private pending = 0;
  private closed = false;
  private warned = false;
  private readonly counters: SshStats = { connectionsOpened: 0, channelsOpened: 0, commandsRun: 0 };

  constructor(
    connection: ConnectionArgs,
    private readonly options: SshTransportOptions = {},
  ) {
    this.connection = parseConnection(connection);
    this.label = connectionLabel(this.connection);
    // Providers need root; a non-root login gets it from sudo without a prompt, or fails loudly.
    this.shell = this.connection.user === "root" ? "sh" : "sudo -n sh";
  }

  stats(): SshStats {
    return { ...this.counters };
  }

  run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    if (this.closed) return Promise.reject(new Error(`${this.label}: transport is closed`));
    return new Promise((resolve, reject) => {
      this.hold();
      this.queue.push({
        command,
        timeoutMs: options.timeoutMs ?? this.options.commandTimeoutMs ?? 60_000,
        resolve: (result) => {
          this.release();
          resolve(result);
        },
        reject: (err) => {
          this.release();
          reject(err);
        },
      });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0))
      job.reject(new Error(`${this.label}: transport closed before running the command`));
    const link = this.link;
    this.link = undefined;
    if (!link) return;
    this.drop(link, (command) => new Error(`${this.label}: transport closed while running ${command}`));
    await new Promise<void>((resolve) => {
      link.client.once("close", () => resolve());
      link.client.end();
      setTimeout(() => {
        link.socket.destroy();
        resolve();
      }, 1000).unref();
    });
  }

  // An idle connection must not keep Node alive (the provider process and tests must exit);
  // a pending command must.
  private hold(): void {
    if (this.pending++ === 0) this.link?.socket.ref();
  }

  private release(): void {
    if (--this.pending === 0) this.link?.socket.unref();
  }

  /** Hands queued commands to idle shells, opening shells or the connection as needed. */
  private dispatch(): void {
    if (this.closed || this.queue.length === 0) return;
    const link = this.link;
    if (!link) return this.connect();
    for (const session of link.sessions) {
      if (this.queue.length === 0) return;
      if (session.idle) this.start(session, this.queue.shift()!);
    }
    while (this.queue.length > link.opening && link.sessions.size + link.opening < link.maxSessions) {
      this.openSession(link);
    }
  }

  private start(session: ShellSession, job: Job): void {
    session.run(job.command, job.timeoutMs).then(
      (result) => {
        this.counters.commandsRun++;
        job.resolve(result);
        this.dispatch();
      },
      (err: Error) => {
        job.reject(err);
        this.dispatch();
      },
    );
  }

  private connect(): void {
    if (this.connecting) return;
    this.connecting = true;
    const warn = (message: string) => {
      if (!this.warned) (this.options.warn ?? console.warn)(message);
      this.warned = true;
    };
    dialWithRetry(this.connection, { warn, retryDelayMs: this.options.retryDelayMs }).then(
      ({ client, socket }) => {
        this.connecting = false;
        if (this.closed) return void client.end();
        this.counters.connectionsOpened++;
        const link: Link = {
          client,
          socket,
          sessions: new Set(),
          opening: 0,
          maxSessions: this.options.maxChannels ?? 4,
          alive: true,
        };
        const lost = (err?: Error) => {
          const why = err ? ` (${redact(err.message, this.connection)})` : "";
          this.drop(link, (command) => new Error(`${this.label}: connection lost while running ${command}${why}`));
          this.dispatch(); // commands not yet sent go out on a new connection
        };
        client.on("error", lost);
        client.on("end", () => lost());
        client.on("close", () => lost());
        this.link = link;
        if (this.pending === 0) socket.unref();
        this.dispatch();
      },
      (err: Error) => {
        this.connecting = false;
        for (const job of this.queue.splice(0)) job.reject(err);
      },
    );
  }

  /** Forgets a connection: its running commands fail with `error`, its socket closes. */
  private drop(link: Link, error: (command: string) => Error): void {
    if (!link.alive) return;
    link.alive = false;
    if (this.link === link) this.link = undefined;
    for (const session of [...link.sessions]) session.abort(error);
    link.socket.destroy();
  }

  private openSession(link: Link): void {
    link.opening++;
    this.counters.channelsOpened++;
    link.client.exec(this.shell, (err, channel) => {
      link.opening--;
      if (!link.alive) return void channel?.close();
      if (err) {
        if (link.sessions.size > 0)
          link.maxSessions = link.sessions.size; // sshd's MaxSessions
        else
          for (const job of this.queue.splice(0))
            job.reject(new Error(`${this.label}: cannot start \`${this.shell}\`: ${err.message}`));
        return this.dispatch();
      }
      const session = new ShellSession(channel, {
        label: this.label,
        shell: this.shell,
        onClosed: (s) => {
          link.sessions.delete(s);
          this.dispatch();
        },
      });
      link.sessions.add(session);
      this.dispatch();
    });
  }
}
