/**
 * Keeps every answer the client receives, one JSON object a line, for validate.mjs to check against the document:
 * the operation (method and route, the document's path template), the path asked, the status, the content type and
 * the body (parsed when it is JSON, as text otherwise; a stream's is not read). Events read from a stream are kept too,
 * as `{"route", "event", "id", "data"}` lines, the data as the text it came as. ApiClientTests writes the same lines for the C# client.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import type { Middleware } from "openapi-fetch";
import type { ServerSentEvent } from "./stream.js";

export interface RecordedAnswer {
    client: string;
    method: string;
    /** The document's path template; validate.mjs finds it from the path when it is missing. */
    route?: string;
    path: string;
    status: number;
    contentType: string | null;
    /** The body read as JSON, for a JSON answer that parsed. */
    body?: unknown;
    /** The body as text, for any other answer (and a JSON one that did not parse). */
    text?: string;
}

export interface RecordedEvent {
    client: string;
    route: string;
    event: string;
    id: string | undefined;
    /** The event's data lines, joined, as text. */
    data: string;
}

export class Recorder {
    count = 0;

    constructor(
        private readonly file: string,
        private readonly client = "typescript",
    ) {
        writeFileSync(file, "");
    }

    /** Keeps one answer; reads a clone of its body, so the caller still reads it. */
    async answer(method: string, route: string | undefined, url: string, response: Response): Promise<void> {
        const contentType = response.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? null;
        const answer: RecordedAnswer = {
            client: this.client,
            method: method.toUpperCase(),
            path: new URL(url).pathname,
            status: response.status,
            contentType,
        };
        if (route !== undefined) answer.route = route;
        if (contentType !== "text/event-stream") {
            const text = await response.clone().text();
            if (contentType !== null && /^application\/([a-z.+-]+\+)?json$/.test(contentType)) {
                try {
                    answer.body = JSON.parse(text);
                } catch {
                    answer.text = text;
                }
            } else answer.text = text;
        }
        this.write(answer);
    }

    /** Keeps one event read from a stream, its data as the text the wire carried. */
    event(route: string, event: ServerSentEvent): void {
        const recorded: RecordedEvent = { client: this.client, route, event: event.event, id: event.id, data: event.data };
        this.write(recorded);
    }

    /** An openapi-fetch middleware that keeps every answer with its operation's route (openapi-fetch's schemaPath). */
    middleware(): Middleware {
        return {
            onResponse: async ({ request, response, schemaPath }) => {
                await this.answer(request.method, schemaPath, request.url, response);
            },
        };
    }

    private write(line: RecordedAnswer | RecordedEvent): void {
        appendFileSync(this.file, JSON.stringify(line) + "\n");
        this.count++;
    }
}
