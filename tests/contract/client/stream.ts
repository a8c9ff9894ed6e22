/**
 * The live stream (`GET /api/stream`, docs/api.md "Live progress") for a program, beside the generated client.
 *
 * openapi-fetch reads JSON answers; the stream is server-sent events, which the document declares as a binary string,
 * so a client reads it itself. This helper does that and nothing more:
 *
 *   const stream = await openStream("http://127.0.0.1:5080", token, { facility: "saydnaya" });
 *   const seen = await stream.until((e) => e.event === "sector" && e.data.sector === "R-B2-A-01", 20_000);
 *   await stream.close();
 *
 * - It opens the stream with fetch, the token in the `Authorization: Bearer` header as for every route (a browser's
 *   EventSource cannot send it and asks for a ticket instead: docs/api.md), `facility` and `Last-Event-ID` if given.
 * - A refusal (401, 403, 429 `TooManyStreams`…) is thrown as a `StreamRefused` carrying the status and the problem.
 * - It returns once the node has said the subscription is in place (its first comment, `: connected`): a change
 *   made after that is on the stream.
 * - It parses the events as the SSE specification frames them: `id:`, `event:` and `data:` lines (several data lines
 *   are joined with a newline), a blank line ends an event, lines starting with `:` are comments (`: keep-alive`, kept
 *   in `comments`), CRLF, CR or LF line ends. Every event's data is JSON.
 * - It yields typed events: `LiveEvent` is a union on the event name (`sector`, `progress`, `team`, `alert`,
 *   `acknowledged`, `facility`, and the stream's own `reset` and `ended`). Each change is typed by the document's
 *   component for it (`SectorChange` for `sector`…: the kind, facility, sector and team, and the data of its kind).
 *   The types are what the document promises, not a check: validate.mjs checks recorded events against the
 *   stream's item schema (`x-itemSchema` on its `text/event-stream` answer, OpenAPI 3.2's itemSchema).
 * - `next(within)` waits at most that long for the next event, `until(match, within)` reads until an event matches,
 *   both with a deadline rather than a fixed sleep; a `for await` loop reads events as they come.
 */
import type { components } from "./generated/schema.js";

type Schemas = components["schemas"];

// A change as the node sends it in an event's data: the document's component named after the event (tsc fails if it is gone).
export type SectorChange = Schemas["SectorChange"];
export type ProgressChange = Schemas["ProgressChange"];
export type TeamChange = Schemas["TeamChange"];
export type AlertChange = Schemas["AlertChange"];
export type AcknowledgedChange = Schemas["AcknowledgedChange"];
export type FacilityChange = Schemas["FacilityChange"];

/** One event of the stream; `id` is "offset-index" for a change. */
export type LiveEvent =
    | { event: "sector"; id: string; data: SectorChange }
    | { event: "progress"; id: string; data: ProgressChange }
    | { event: "team"; id: string; data: TeamChange }
    | { event: "alert"; id: string; data: AlertChange }
    | { event: "acknowledged"; id: string; data: AcknowledgedChange }
    | { event: "facility"; id: string; data: FacilityChange }
    /** The Last-Event-ID given is older than the node keeps: read the lists again, reconnect without it. */
    | { event: "reset"; id: string | undefined; data: { oldestKept: number } }
    /** The token ran out or was revoked: sign in again rather than reconnect. */
    | { event: "ended"; id: string | undefined; data: { reason: "TokenExpired" | "TokenRevoked" } };

/** An event as the wire framed it, before its data is read as JSON. */
export interface ServerSentEvent {
    id: string | undefined;
    event: string;
    data: string;
}

export interface StreamOptions {
    /** Only this facility's changes. */
    facility?: string;
    /** Resume after this event id (sent as the Last-Event-ID header). */
    lastEventId?: string;
    /** How long to wait for the answer and the `: connected` comment, in milliseconds (default 10 s). */
    connectWithin?: number;
    /** Called with the answer before it is read (a recorder keeps its status and content type). */
    onResponse?: (response: Response) => void | Promise<void>;
    /** Called with every event as framed, before its data is read (a recorder keeps them). */
    onEvent?: (event: ServerSentEvent) => void;
}

/** The node refused the stream: the status, and the problem it answered with (`code` says why). */
export class StreamRefused extends Error {
    constructor(
        readonly status: number,
        readonly problem: unknown,
    ) {
        super(`the stream was refused: ${status} ${typeof problem === "string" ? problem.trim() : JSON.stringify(problem)}`);
    }
}

/** Opens the live stream with a bearer token; returns once the node says the subscription is in place. */
export async function openStream(server: string | URL, token: string, options: StreamOptions = {}): Promise<LiveStream> {
    const url = new URL("/api/stream", server);
    if (options.facility !== undefined) url.searchParams.set("facility", options.facility);
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: "text/event-stream" };
    if (options.lastEventId !== undefined) headers["Last-Event-ID"] = options.lastEventId;
    const abort = new AbortController();
    const within = options.connectWithin ?? 10_000;
    const timer = setTimeout(() => abort.abort(new Error(`the stream did not answer within ${within} ms`)), within);
    try {
        const response = await fetch(url, { headers, signal: abort.signal });
        await options.onResponse?.(response);
        if (!response.ok || response.body === null) {
            const text = await response.text();
            let problem: unknown = text;
            try {
                problem = JSON.parse(text);
            } catch {
                // not JSON: the text as it came
            }
            throw new StreamRefused(response.status, problem);
        }
        const stream = new LiveStream(response, response.body.getReader(), abort, options.onEvent);
        await stream.connected(within);
        return stream;
    } finally {
        clearTimeout(timer);
    }
}

/** An open stream: its events, typed, and the comments read on the way. */
export class LiveStream implements AsyncIterable<LiveEvent> {
    /** The comment lines read so far (`: connected`, `: keep-alive`), without their colon. */
    readonly comments: string[] = [];
    private readonly decoder = new TextDecoder();
    private readonly lines: string[] = [];
    private buffer = "";
    private pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]> | undefined;
    private ended = false;
    private field: { id: string | undefined; event: string; data: string[] } = { id: undefined, event: "message", data: [] };
    private lastId: string | undefined;

    constructor(
        readonly response: Response,
        private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
        private readonly abort: AbortController,
        private readonly onEvent?: (event: ServerSentEvent) => void,
    ) {}

    /** The id of the last event read, to resume with after a dropped connection. */
    get lastEventId(): string | undefined {
        return this.lastId;
    }

    /** Waits for the first line, the comment the node sends once the subscription is in place. */
    async connected(within: number): Promise<void> {
        const line = await this.line(within);
        if (line === undefined) throw new Error(`the stream said nothing within ${within} ms`);
        if (line === null) throw new Error("the stream ended before it said it was connected");
        if (line.startsWith(":")) this.comments.push(line.slice(1).trimStart());
        else this.lines.unshift(line); // an event first: read it as one
    }

    /** The next event, or undefined when none comes within the wait (milliseconds) or the stream has ended. */
    async next(within: number): Promise<LiveEvent | undefined> {
        const raw = await this.nextRaw(within);
        return raw === undefined ? undefined : ({ id: raw.id, event: raw.event, data: JSON.parse(raw.data) } as LiveEvent);
    }

    /** The next event as framed, its data unread; undefined when none comes within the wait or the stream has ended. */
    async nextRaw(within: number): Promise<ServerSentEvent | undefined> {
        const until = Date.now() + within;
        for (;;) {
            const line = await this.line(until - Date.now());
            if (line === undefined || line === null) return undefined;
            if (line.startsWith(":")) {
                this.comments.push(line.slice(1).trimStart());
                continue;
            }
            if (line === "") {
                const { id, event, data } = this.field;
                this.field = { id: this.lastId, event: "message", data: [] };
                if (data.length === 0) continue; // no data: nothing to dispatch
                const framed = { id, event, data: data.join("\n") };
                this.onEvent?.(framed);
                return framed;
            }
            const colon = line.indexOf(":");
            const name = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (name === "id") this.field.id = this.lastId = value;
            else if (name === "event") this.field.event = value;
            else if (name === "data") this.field.data.push(value);
        }
    }

    /** Reads until an event matches; returns every event read, the match last. Throws, naming what came, at the deadline. */
    async until(match: (event: LiveEvent) => boolean, within: number): Promise<LiveEvent[]> {
        const until = Date.now() + within;
        const read: LiveEvent[] = [];
        for (;;) {
            const event = await this.next(until - Date.now());
            if (event === undefined) {
                const got = read.map((e) => `${e.id ?? ""}:${e.event}`).join(", ");
                throw new Error(`no matching event within ${within} ms${this.ended ? " (the stream ended)" : ""}; read: ${got || "nothing"}`);
            }
            read.push(event);
            if (match(event)) return read;
        }
    }

    async *[Symbol.asyncIterator](): AsyncIterator<LiveEvent> {
        for (;;) {
            const event = await this.next(Number.POSITIVE_INFINITY);
            if (event === undefined) return;
            yield event;
        }
    }

    /** Closes the connection. */
    async close(): Promise<void> {
        this.ended = true;
        this.abort.abort();
        await this.reader.cancel().catch(() => undefined);
    }

    /** The next line: a string, null when the stream has ended, undefined when none came within the wait. */
    private async line(within: number): Promise<string | null | undefined> {
        for (;;) {
            const line = this.lines.shift();
            if (line !== undefined) return line;
            if (this.ended) return null;
            if (within <= 0) return undefined;
            this.pending ??= this.reader.read();
            let timer: ReturnType<typeof setTimeout> | undefined;
            const waited = Number.isFinite(within)
                ? new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), within)))
                : new Promise<"timeout">(() => undefined);
            const started = Date.now();
            const result = await Promise.race([this.pending, waited]).finally(() => clearTimeout(timer));
            if (result === "timeout") return undefined;
            this.pending = undefined;
            within -= Date.now() - started;
            if (result.done) {
                this.ended = true;
                this.split(this.decoder.decode() + "\n"); // a last line without its end
            } else this.split(this.decoder.decode(result.value, { stream: true }));
        }
    }

    /** Cuts what came into lines at CRLF, CR or LF; a CR at the end waits for what follows (it may be a CRLF). */
    private split(text: string): void {
        this.buffer += text;
        const parts = this.buffer.split(/\r\n|\r(?!$)|\n/);
        this.buffer = parts.pop() ?? "";
        this.lines.push(...parts);
    }
}
