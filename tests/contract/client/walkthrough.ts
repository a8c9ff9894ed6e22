/**
 * README's walk-through, refusals included, through a TypeScript client made from the running node's document:
 * openapi-typescript generates the types (generated/schema.d.ts, at test time), openapi-fetch makes the calls, and
 * stream.ts reads the live stream. The same steps and checks as ApiClientTests' walk-through through NSwag's C# client,
 * and a `sector` event on the stream for a sector it reported. Every answer (and every event read) is recorded for
 * validate.mjs. TypeScriptClientTests generates, compiles (tsc, strict) and runs it against a node; by hand:
 *
 *   COORD_SERVER=http://127.0.0.1:5080 COORD_TOKEN=… COORD_LAYOUT=docs/examples/saydnaya-layout.json \
 *   COORD_ANSWERS=/tmp/answers.jsonl node out/walkthrough.js
 *
 * on a node with nothing in it yet (it registers `saydnaya`, `adra`, SAR-1 and DOOR-1). Exit 0 when every step did
 * what it should; otherwise the step that did not, and why.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";
import { Recorder } from "./record.js";
import { openStream, StreamRefused } from "./stream.js";

type Schemas = components["schemas"];
type Problem = Schemas["ProblemView"];

function setting(name: string): string {
    const value = process.env[name];
    if (value === undefined || value === "") throw new Error(`${name} is not set`);
    return value;
}

const server = setting("COORD_SERVER");
const recorder = new Recorder(setting("COORD_ANSWERS"));

/**
 * A client of the node with this bearer token (none: anonymous) whose every answer is recorded. It reads JSON: its
 * answers are typed by their JSON media types (a route that can answer CSV too, the coverage, is read as JSON).
 */
function client(token?: string) {
    const made = createClient<paths, "application/json" | "application/problem+json">({ baseUrl: server, headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });
    made.use(recorder.middleware());
    return made;
}

/** What openapi-fetch gives back: the data of a success or the error of a refusal, and the answer itself. */
interface Result {
    data?: unknown;
    error?: Problem | undefined;
    response: Response;
}

/** The data of an answer that should have succeeded with this status. */
function ok<R extends Result>(result: R, status = 200): NonNullable<R["data"]> {
    const { data, error, response } = result;
    assert.equal(response.status, status, `${response.url}: ${response.status} ${JSON.stringify(error)}`);
    assert.ok(data !== undefined && data !== null, `${response.url}: no body`);
    return data as NonNullable<R["data"]>;
}

/** A refusal as the client gives it: the problem's code and the status it came with (which the problem repeats). */
async function refusal(call: Promise<Result>): Promise<[string, number]> {
    const { error, response } = await call;
    assert.ok(error !== undefined, `${response.url}: ${response.status}, not refused`);
    assert.equal(error.status, response.status);
    return [error.code, response.status];
}

/** What the live view shows trails the acknowledgement by a moment: read again until it shows it, within a deadline. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, within = 20_000): Promise<T> {
    const until = Date.now() + within;
    for (;;) {
        const value = await read();
        if (done(value)) return value;
        if (Date.now() > until) throw new Error(`waited ${within / 1000} s for ${what}; last read ${JSON.stringify(value)}`);
        await delay(50);
    }
}

/** Null or left out: the node leaves out a field that is null. */
function none(value: unknown): boolean {
    return value === null || value === undefined;
}

const assignment = (teamId: string, sectorId: string): Schemas["AssignmentRequest"] => ({ teamId, facilityId: "saydnaya", sectorId });
const report = (reportId: string, sectorId: string, kind: Schemas["ReportKind"]): Schemas["ReportRequest"] => ({
    reportId,
    teamId: "DOOR-1",
    facilityId: "saydnaya",
    sectorId,
    kind,
});

/** The stream's answer, recorded like the client's (its events are recorded one by one). */
const streamAnswer = (response: Response) => recorder.answer("GET", "/api/stream", response.url, response);

function step(what: string): void {
    console.log(`- ${what}`);
}

async function walkThrough(): Promise<void> {
    const token = setting("COORD_TOKEN");
    const coord = client(token);

    step("coord facility add saydnaya …; coord facility import saydnaya docs/examples/saydnaya-layout.json");
    let facility = ok(
        await coord.POST("/api/facilities", {
            body: { id: "saydnaya", name: "Saydnaya military prison", aliases: ["Sednaya"], location: "Rif Dimashq" },
        }),
        201,
    );
    assert.deepEqual([facility.id, facility.location, facility.signedOff], ["saydnaya", "Rif Dimashq", false]);
    assert.deepEqual(facility.aliases, ["Sednaya"]);
    const layout = JSON.parse(readFileSync(setting("COORD_LAYOUT"), "utf8")) as Schemas["LayoutRequest"];
    facility = ok(await coord.PUT("/api/facilities/{facilityId}/layout", { params: { path: { facilityId: "saydnaya" } }, body: layout }));
    assert.equal(facility.sectors, 316);
    assert.ok(facility.levels.length > 0);
    assert.deepEqual(await refusal(coord.POST("/api/facilities", { body: { id: "saydnaya", name: "Another name" } })), [
        "FacilityAlreadyRegistered",
        409,
    ]);

    step("the live stream of saydnaya, read through stream.ts");
    const stream = await openStream(server, token, {
        facility: "saydnaya",
        onResponse: streamAnswer,
        onEvent: (event) => recorder.event("/api/stream", event),
    });
    assert.equal(stream.response.headers.get("content-type")?.split(";")[0], "text/event-stream");

    step("coord team add SAR-1 …; coord team add DOOR-1 …");
    const sar = ok(await coord.POST("/api/teams", { body: { id: "SAR-1", callSign: "Sierra One", size: 6, capabilities: ["Search"] } }), 201);
    assert.deepEqual([sar.status, sar.shift], ["Available", "OffDuty"]);
    assert.ok(none(sar.assignment));
    ok(await coord.POST("/api/teams", { body: { id: "DOOR-1", callSign: "Delta One", size: 3, capabilities: ["DoorOpening", "Search"] } }), 201);

    step("coord assign SAR-1 saydnaya R-B2-A-01: refused, the iron door; then DOOR-1");
    assert.deepEqual(await refusal(coord.POST("/api/assignments", { body: assignment("SAR-1", "R-B2-A-01") })), ["TeamLacksCapability", 409]);
    assert.deepEqual(await refusal(coord.POST("/api/assignments", { body: assignment("SAR-1", "R-NOWHERE") })), ["SectorNotFound", 404]);
    assert.deepEqual(await refusal(coord.POST("/api/assignments", { body: assignment("SAR 1!", "R-B2-A-01") })), ["InvalidId", 400]);
    const door = ok(await coord.POST("/api/assignments", { body: assignment("DOOR-1", "R-B2-A-01") }), 201);
    assert.deepEqual([door.status, door.assignment?.sectorId], ["Assigned", "R-B2-A-01"]);
    const briefing = ok(await coord.GET("/api/teams/{teamId}/briefing", { params: { path: { teamId: "DOOR-1" } } }));
    assert.deepEqual([briefing.assignment?.sector.id, briefing.assignment?.sector.status], ["R-B2-A-01", "Assigned"]);
    assert.ok(briefing.assignment?.path.some((p) => p.kind === "Level"));

    step("coord report entered / persons --alive 2 --needs-medical / cleared --method Visual");
    const entered = ok(await coord.POST("/api/reports", { body: report("r-1", "R-B2-A-01", "Entered") }));
    assert.deepEqual([entered.outcome, entered.sectorStatus], ["Accepted", "InProgress"]);
    ok(await coord.POST("/api/reports", { body: { ...report("r-2", "R-B2-A-01", "PersonsFound"), alive: 2, needsMedical: true } }));
    assert.deepEqual(await refusal(coord.POST("/api/reports", { body: report("r-3", "R-B2-A-01", "Cleared") })), ["InvalidField", 400]);
    const cleared = ok(await coord.POST("/api/reports", { body: { ...report("r-3", "R-B2-A-01", "Cleared"), method: "Visual" } }));
    assert.equal(cleared.sectorStatus, "Cleared");
    assert.deepEqual(await refusal(coord.POST("/api/reports", { body: report("r-3", "R-B2-A-01", "Entered") })), ["ReportIdReused", 409]);

    step("the stream shows the cell cleared");
    const seen = await stream.until((e) => e.event === "sector" && e.data.sector === "R-B2-A-01" && e.data.data.status === "Cleared", 20_000);
    const sectorEvent = seen.at(-1);
    assert.ok(sectorEvent?.event === "sector");
    assert.deepEqual([sectorEvent.data.kind, sectorEvent.data.facility, sectorEvent.data.data.id], ["sector", "saydnaya", "R-B2-A-01"]);
    assert.match(sectorEvent.id, /^[0-9]+-[0-9]+$/);
    await stream.close();

    step("coord facility show saydnaya; coord history saydnaya R-B2-A-01; the sector and the board");
    const cell = { params: { path: { facilityId: "saydnaya", sectorId: "R-B2-A-01" } } };
    const sector = ok(await coord.GET("/api/facilities/{facilityId}/sectors/{sectorId}", cell));
    assert.deepEqual([sector.status, sector.personsAlive, sector.lastTeam], ["Cleared", 2, "DOOR-1"]);
    assert.ok(none(sector.team));
    assert.deepEqual(sector.needs, ["DoorOpening"]);
    // A list is a page: its items, and the cursor of the next page (none: this was the last).
    const page = ok(await coord.GET("/api/facilities/{facilityId}/sectors/{sectorId}/history", cell));
    assert.ok(none(page.next));
    const history = page.items;
    assert.ok(history.length >= 4, `${history.length} events`);
    for (const entry of history) assert.ok(entry.by.length > 0, JSON.stringify(entry));
    assert.deepEqual(
        history.map((e) => e.event).filter((e) => e !== "TeamReleased"),
        ["SectorDefined", "TeamAssigned", "SectorEntered", "PersonsFound", "SectorCleared"],
    );
    const sequences = history.map((e) => e.sequence);
    assert.deepEqual(sequences, [...sequences].sort((a, b) => a - b));
    const saydnaya = { params: { path: { facilityId: "saydnaya" } } };
    assert.equal(ok(await coord.GET("/api/facilities/{facilityId}", saydnaya)).sectors, 316);
    assert.deepEqual(await refusal(coord.GET("/api/facilities/{facilityId}", { params: { path: { facilityId: "nowhere" } } })), [
        "FacilityNotFound",
        404,
    ]);
    assert.deepEqual(await refusal(coord.GET("/api/teams/{teamId}", { params: { path: { teamId: "not an id!" } } })), ["InvalidId", 400]);
    assert.deepEqual(await refusal(coord.POST("/api/facilities/{facilityId}/signoff", saydnaya)), ["FacilityHasUnsearchedSectors", 409]);
    const board = await eventually(
        async () => ok(await coord.GET("/api/board")),
        (b) =>
            b.teams.some((t) => t.id === "DOOR-1" && t.status === "Available") &&
            b.facilities.some((f) => f.id === "saydnaya" && f.progress.cleared === 1),
        "the board to show the cell cleared and DOOR-1 free again",
    );
    assert.ok(board.facilities.some((f) => f.id === "saydnaya" && f.progress.personsAlive === 2 && f.aliases.includes("Sednaya")));
    const alerts = ok(await coord.GET("/api/alerts")).items;
    assert.ok(alerts.some((a) => a.kind === "NeedsMedical" && a.sector === "R-B2-A-01" && a.team === "DOOR-1"), JSON.stringify(alerts));

    step("a hidden space found behind a wall, and a person named");
    ok(await coord.POST("/api/assignments", { body: assignment("DOOR-1", "R-B2-A-02") }), 201);
    ok(await coord.POST("/api/reports", { body: report("r-4", "R-B2-A-02", "Entered") }));
    ok(
        await coord.POST("/api/reports", {
            body: { ...report("r-5", "R-B2-A-02", "HiddenSpaceFound"), newSectorId: "R-B2-A-02-H1", name: "Space behind the back wall" },
        }),
    );
    const found = ok(
        await coord.POST("/api/reports", {
            body: { ...report("r-6", "R-B2-A-02", "PersonsFound"), persons: [{ name: "محمد أحمد الحلبي", age: 38, homeTown: "حمص" }] },
        }),
    );
    assert.equal(found.persons?.length, 1);
    const personId = found.persons[0];
    assert.ok(personId !== undefined);
    const open = await eventually(
        async () => ok(await coord.GET("/api/alerts", { params: { query: { open: true } } })).items,
        (items) => items.some((x) => x.kind === "HiddenSpaceFound"),
        "the hidden space's alert",
    );
    assert.ok(open.some((a) => a.kind === "HiddenSpaceFound" && a.sector.startsWith("R-B2-A-02") && a.team === "DOOR-1"));

    step("the family desk: a token, an inquiry, its candidates, a confirmed match");
    const desk = ok(await coord.POST("/api/tokens", { body: { role: "familydesk", expires: "1h" } }), 201);
    assert.equal(desk.role, "familydesk");
    const family = client(desk.token);
    let inquiry = ok(
        await family.POST("/api/inquiries", {
            body: { id: "inq-1", name: "Mohamed Ahmad Al-Halabi", fatherName: "Ahmad", birthYear: 1987, homeTown: "Homs" },
        }),
        201,
    );
    assert.deepEqual([inquiry.status, inquiry.stage], ["Open", "Registered"]);
    assert.ok(none(inquiry.outcome));
    const inq1 = { params: { path: { inquiryId: "inq-1" } } };
    const candidates = await eventually(
        async () => ok(await family.GET("/api/inquiries/{inquiryId}/candidates", inq1)),
        (c) => c.some((x) => x.personId === personId),
        "the person as a candidate",
    );
    assert.ok(candidates.find((c) => c.personId === personId)!.score > 0);
    assert.deepEqual(
        await refusal(family.POST("/api/inquiries/{inquiryId}/matches", { ...inq1, body: { personId: "p-nobody", decision: "Confirmed" } })),
        ["PersonNotFound", 404],
    );
    inquiry = ok(
        await family.POST("/api/inquiries/{inquiryId}/matches", {
            ...inq1,
            body: { personId, decision: "Confirmed", note: "brother recognised him" },
        }),
    );
    assert.equal(inquiry.decisions.length, 1);
    assert.deepEqual([inquiry.stage, inquiry.decisions[0]?.decision], ["CandidateConfirmed", "Confirmed"]);

    step("the confirmed matches as CSV (coord family export matches)");
    // The export reads the desk's view, which learns of the decision a moment after it is acknowledged.
    const exported = await eventually(
        () => family.GET("/api/family/export/matches.csv", { parseAs: "text" }),
        (e) => e.response.status === 200 && /^inq-1,/m.test(e.data ?? ""),
        "the export to list the confirmed match",
    );
    assert.equal(exported.response.headers.get("content-type")?.split(";")[0], "text/csv");

    step("sign-off: a small facility searched to the end, and its coverage as JSON");
    ok(await coord.POST("/api/facilities", { body: { id: "adra", name: "Adra central prison" } }), 201);
    const adra = { params: { path: { facilityId: "adra" } } };
    ok(
        await coord.PUT("/api/facilities/{facilityId}/layout", {
            ...adra,
            body: {
                sectors: [
                    { id: "A", kind: "Site" },
                    { id: "A-1", parent: "A", kind: "Cell", name: "Cell 1" },
                ],
            },
        }),
    );
    ok(await coord.POST("/api/assignments", { body: { teamId: "SAR-1", facilityId: "adra", sectorId: "A-1" } }), 201);
    const adraReport = { teamId: "SAR-1", facilityId: "adra", sectorId: "A-1" };
    ok(await coord.POST("/api/reports", { body: { ...adraReport, reportId: "a-1", kind: "Entered" } }));
    ok(await coord.POST("/api/reports", { body: { ...adraReport, reportId: "a-2", kind: "Cleared", method: "K9" } }));
    const signedOff = await eventually(
        async () => {
            const result = await coord.POST("/api/facilities/{facilityId}/signoff", adra);
            if (result.error?.code === "FacilityHasUnsearchedSectors") return undefined;
            return ok(result);
        },
        (f) => f !== undefined,
        "the sign-off to pass once the facility knows the cell",
    );
    assert.equal(signedOff?.signedOff, true);
    const coverage = await eventually(
        async () => {
            // The coverage is read from the live view, which learns of the facility a moment after it is registered.
            const result = await coord.GET("/api/facilities/{facilityId}/coverage", adra);
            if (result.error?.code === "FacilityNotFound") return [];
            return ok(result);
        },
        (rows) => rows.some((r) => r.sector === "A-1" && r.status === "Cleared"),
        "the coverage to show the cell cleared",
    );
    const a1 = coverage.filter((r) => r.sector === "A-1");
    assert.equal(a1.length, 1);
    assert.deepEqual([a1[0]?.status, a1[0]?.visits.map((v) => v.team)], ["Cleared", ["SAR-1"]]);

    step("refusals the framework makes: no token, a role that may not");
    assert.deepEqual(await refusal(client().GET("/api/facilities")), ["SignInNeeded", 401]);
    const monitorToken = ok(await coord.POST("/api/tokens", { body: { role: "monitor", expires: "5m" } }), 201);
    const monitor = client(monitorToken.token);
    assert.deepEqual(await refusal(monitor.POST("/api/facilities", { body: { id: "x", name: "X" } })), ["NotAllowed", 403]);
    await eventually(
        async () => ok(await monitor.GET("/api/facilities")),
        (fs) => fs.some((f) => f.id === "adra" && f.signedOff),
        "the monitor to see the facility signed off",
    );
    const tokens = ok(await coord.GET("/api/tokens"));
    assert.ok(tokens.some((t) => t.id === monitorToken.id && t.role === "monitor" && none(t.revokedAt)));

    step("the stream refused a forged token, the refusal read by stream.ts");
    const forged = await openStream(server, "not-a-token", { onResponse: streamAnswer }).then(
        async (opened) => {
            await opened.close();
            return undefined;
        },
        (e: unknown) => e,
    );
    assert.ok(forged instanceof StreamRefused, `the stream with a forged token: ${String(forged)}`);
    const problem = forged.problem !== null && typeof forged.problem === "object" ? (forged.problem as Problem) : undefined;
    assert.deepEqual([problem?.code, forged.status], ["SignInNeeded", 401], forged.message);
}

// Exits as soon as it is done: a stream still open after a failed step would otherwise keep the process alive.
try {
    await walkThrough();
    console.log(`walked through; ${recorder.count} answers and events recorded`);
    process.exit(0);
} catch (error) {
    console.error(error);
    process.exit(1);
}
