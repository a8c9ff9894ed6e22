// @ts-check
/**
 * Checks recorded answers against the OpenAPI document they were answered under:
 *
 *   node validate.mjs openapi.json answers.jsonl [more.jsonl …]
 *
 * Each line of an answers file is one answer, as record.ts (the TypeScript client) and ApiClientTests (the C# client)
 * write them: `{"client","method","route"?,"path","status","contentType","body"|"text"}`; or one event read from a
 * stream, `{"client","route","event","id","data"}` (data the text of its data lines, as the wire carried it).
 *
 * For an answer it finds the operation (the route given, or the document's path template the path fits, the most
 * literal one first), the response declared for the status (the status, its `4XX` range, or `default`), and the media
 * type declared for the content type; then validates the body against that media type's schema. The document is
 * OpenAPI 3.1, whose schemas are JSON Schema 2020-12: Ajv's 2020 validator reads them as they are, `$ref`s resolved
 * in the document (`#/components/schemas/…`), every format checked (`date-time` by ajv-formats; `int32`, `int64`,
 * `double`, `float` as the numbers they name; `binary` any string), strict: an unknown keyword in a schema is an error
 * (OpenAPI's own annotations and `x-` extensions aside). Problem answers are `application/problem+json` with
 * `ProblemView`, like any other media type.
 *
 * An event is validated against the schema of one event of its stream, which OpenAPI 3.2 calls the media type's
 * `itemSchema` and a 3.1 document carries as `x-itemSchema` on the stream's `text/event-stream` answer: the event as
 * framed (`id`, `event`, `data` as text), then its data, read as the `contentMediaType` says, against the
 * `contentSchema` given for its event name (`SectorChange` for `sector`…); JSON Schema leaves `contentSchema` to the
 * application, and this is the application. Events of a stream with no item schema are counted as not checked.
 *
 * Off the document: a status the operation does not declare, a content type it does not declare for that status, a
 * body that is not JSON where JSON is declared, a body where none is declared, a body off its schema (each error with
 * where in the body, the component the failing schema belongs to, and the value there). Exit 0 when no answer is off,
 * 1 listing every one that is (or when there were none to check), 2 when the files cannot be read.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import formats from "ajv-formats";

const [documentFile, ...answerFiles] = process.argv.slice(2);
if (documentFile === undefined || answerFiles.length === 0) {
    console.error("usage: node validate.mjs openapi.json answers.jsonl [more.jsonl …]");
    process.exit(2);
}

/** @typedef {{ client?: string, method: string, route?: string, path: string, status: number, contentType: string | null, body?: unknown, text?: string }} Answer */
/** @typedef {{ client?: string, route: string, event: string, id?: string, data: string }} Event */
/** @typedef {Record<string, any>} Json */

/** @type {Json} */
const document = JSON.parse(readFileSync(documentFile, "utf8"));
const base = "https://coordinator.invalid/openapi.json";

const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true, discriminator: true });
formats.default(ajv);
ajv.addFormat("int32", { type: "number", validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat("int64", { type: "number", validate: (n) => Number.isInteger(n) });
ajv.addFormat("double", { type: "number", validate: () => true });
ajv.addFormat("float", { type: "number", validate: () => true });
ajv.addFormat("binary", { type: "string", validate: () => true });
// The OpenAPI document's own members, and the annotations OpenAPI adds to JSON Schema: known, meaning nothing to a value.
ajv.addVocabulary(["openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security", "tags"]);
ajv.addVocabulary(["example", "externalDocs", "xml", ...extensions(document)]);
ajv.addSchema(document, base);

/** Every `x-` extension the document uses: annotations, meaning nothing to a value. */
function extensions(/** @type {unknown} */ node, found = new Set()) {
    if (Array.isArray(node)) for (const item of node) extensions(item, found);
    else if (node !== null && typeof node === "object")
        for (const [key, value] of Object.entries(node)) {
            if (key.startsWith("x-")) found.add(key);
            extensions(value, found);
        }
    return /** @type {Set<string>} */ (found);
}

/** Which component a schema object in the document belongs to, to name it in an error. */
const owner = new Map();
for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) mark(schema, name);
/** @param {unknown} node @param {string} name */
function mark(node, name) {
    if (node === null || typeof node !== "object" || owner.has(node)) return;
    owner.set(node, name);
    for (const value of Object.values(node)) mark(value, name);
}

/** @param {string} segment */
const pointer = (segment) => segment.replaceAll("~", "~0").replaceAll("/", "~1");
/** @param {string} route */
const fits = (route) => new RegExp(`^${route.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}/]+\}/g, "[^/]+")}$`);

/** The route (path template) of the document this method and path are an operation of: the most literal that fits. */
function routeOf(/** @type {string} */ method, /** @type {string} */ path) {
    const candidates = Object.entries(document.paths ?? {})
        .filter(([route, item]) => item[method] !== undefined && fits(route).test(path))
        .map(([route]) => route)
        .sort((a, b) => b.replace(/\{[^}]+\}/g, "").length - a.replace(/\{[^}]+\}/g, "").length);
    return candidates[0];
}

/** @param {string} media */
const isJson = (media) => /^application\/([a-z0-9.+-]+\+)?json$/.test(media);

/** @param {string} declared @param {string} actual */
const mediaFits = (declared, actual) =>
    declared === actual || declared === "*/*" || (declared.endsWith("/*") && actual.startsWith(declared.slice(0, -1)));

/** @param {unknown} value @param {string} at */
function valueAt(value, at) {
    let here = value;
    for (const part of at.split("/").slice(1)) {
        const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
        here = here !== null && typeof here === "object" ? /** @type {Json} */ (here)[key] : undefined;
    }
    const text = JSON.stringify(here) ?? "undefined";
    return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** How a value departs from the schema at this pointer of the document: one line per error, none when it fits. */
function offSchema(/** @type {string} */ at, /** @type {unknown} */ value, /** @type {string} */ label) {
    const validate = ajv.getSchema(`${base}#${at}`);
    if (validate === undefined) return [`no schema at ${at}`];
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => {
        const component = owner.get(e.parentSchema) ?? label;
        const where = e.instancePath === "" ? "the body" : e.instancePath;
        const params = e.keyword === "additionalProperties" ? ` '${e.params.additionalProperty}'` : "";
        return `${where}: ${e.message}${params} (${component}, ${e.schemaPath}); the value: ${valueAt(value, e.instancePath)}`;
    });
}

/** How an event departs from its stream's item schema; none when it fits, or when the stream has none (counted, and off). */
function eventOff(/** @type {Event} */ event) {
    const at = `/paths/${pointer(event.route)}/get/responses/200/content/text~1event-stream/x-itemSchema`;
    const item = document.paths?.[event.route]?.get?.responses?.["200"]?.content?.["text/event-stream"]?.["x-itemSchema"];
    if (item === undefined) {
        unchecked.set(event.event, (unchecked.get(event.event) ?? 0) + 1);
        return [];
    }
    /** @type {Json} */
    const framed = { event: event.event, data: event.data };
    if (event.id !== undefined) framed.id = event.id;
    const errors = offSchema(at, framed, "the stream's item schema");
    // The data's content schema: where the item schema gives one for the data, or a branch of it for this event's name.
    /** @type {[string, Json][]} */
    const places = [[at, item]];
    for (const k of ["oneOf", "anyOf", "allOf"])
        (item[k] ?? []).forEach((/** @type {Json} */ branch, /** @type {number} */ i) => places.push([`${at}/${k}/${i}`, branch]));
    for (const [place, schema] of places) {
        const data = schema?.properties?.data;
        const name = schema?.properties?.event;
        if (data?.contentSchema === undefined || (name?.const !== undefined && name.const !== event.event)) continue;
        let value = event.data;
        if (isJson(data.contentMediaType ?? "application/json")) {
            try {
                value = JSON.parse(String(event.data));
            } catch {
                errors.push(`the data is not JSON: ${JSON.stringify(String(event.data).slice(0, 160))}`);
                continue;
            }
        }
        errors.push(...offSchema(`${place}/properties/data/contentSchema`, value, "the event's content schema"));
    }
    return errors;
}

/**
 * A history or audit entry names its event from EventName, and its data is "the component of the same name" (the schema
 * says so in words: its data is anyOf every event); each entry's data is checked against that one component here.
 */
const eventNames = new Set(document.components?.schemas?.EventName?.enum ?? []);

function recordedOff(/** @type {unknown} */ body) {
    const items = typeof body === "object" && body !== null && "items" in body && Array.isArray(body.items) ? body.items : [];
    /** @type {string[]} */
    const errors = [];
    items.forEach((/** @type {any} */ entry, /** @type {number} */ i) => {
        if (typeof entry?.event !== "string" || !("data" in entry) || !eventNames.has(entry.event)) return;
        for (const e of offSchema(`/components/schemas/${pointer(entry.event)}`, entry.data, entry.event))
            errors.push(`/items/${i}/data, a ${entry.event}: ${e}`);
    });
    return errors;
}

let answers = 0;
let events = 0;
const operations = new Set();
const unchecked = new Map();
/** @type {string[]} */
const off = [];

for (const file of answerFiles) {
    const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
    lines.forEach((line, index) => {
        /** @type {Answer | Event} */
        const answer = JSON.parse(line);
        const where = `${file}:${index + 1} (${answer.client ?? "?"})`;
        if ("event" in answer) {
            events++;
            for (const e of eventOff(answer)) off.push(`GET ${answer.route} event '${answer.event}' ${answer.id ?? ""} [${where}]: ${e}`);
            return;
        }
        answers++;
        const method = answer.method.toLowerCase();
        const path = answer.path.split("?")[0] ?? "";
        const route = answer.route ?? routeOf(method, path);
        const name = `${answer.method} ${route ?? path} → ${answer.status}`;
        if (route === undefined || document.paths?.[route]?.[method] === undefined) {
            off.push(`${name} [${where}]: no operation ${answer.method} ${route ?? path} in the document`);
            return;
        }
        if (!fits(route).test(path)) off.push(`${name} [${where}]: the path ${path} is not the route's`);
        operations.add(`${answer.method} ${route}`);
        const responses = document.paths[route][method].responses ?? {};
        const status = [`${answer.status}`, `${String(answer.status)[0]}XX`, "default"].find((s) => responses[s] !== undefined);
        if (status === undefined) {
            off.push(`${name} [${where}]: status ${answer.status} is not declared (declared: ${Object.keys(responses).join(", ")})`);
            return;
        }
        const content = responses[status].content ?? {};
        const declared = Object.keys(content);
        if (declared.length === 0) {
            if ((answer.text ?? "") !== "" || answer.body !== undefined) off.push(`${name} [${where}]: a body, where none is declared`);
            return;
        }
        const media = declared.find((m) => answer.contentType !== null && mediaFits(m, answer.contentType));
        if (media === undefined) {
            off.push(`${name} [${where}]: content type ${answer.contentType} is not declared (declared: ${declared.join(", ")})`);
            return;
        }
        if (content[media].schema === undefined) return;
        const at = `/paths/${pointer(route)}/${method}/responses/${status}/content/${pointer(media)}/schema`;
        let body = answer.body;
        if (body === undefined) {
            if (answer.contentType === "text/event-stream") return; // a stream: its events are checked one by one
            if (isJson(media)) {
                off.push(`${name} [${where}]: not JSON: ${JSON.stringify((answer.text ?? "").slice(0, 160))}`);
                return;
            }
            body = answer.text ?? "";
        }
        for (const e of offSchema(at, body, `${name}'s schema`)) off.push(`${name} [${where}]: ${e}`);
        for (const e of recordedOff(body)) off.push(`${name} [${where}]: ${e}`);
    });
}

const notChecked = [...unchecked].map(([kind, n]) => `${n} '${kind}'`).join(", ");
console.log(
    `${answers} answers of ${operations.size} operations and ${events} stream events checked against ${documentFile}` +
        (notChecked === "" ? "" : `; events not checked, their stream declaring no item schema: ${notChecked}`),
);
if (answers === 0) {
    console.log("no answers were recorded: nothing was checked");
    process.exit(1);
}
// An event the document cannot check is off it: a stream must declare its items (x-itemSchema, OpenAPI 3.2's itemSchema).
for (const [kind, n] of unchecked) off.push(`${n} '${kind}' event(s): their stream declares no item schema`);
if (off.length > 0) {
    console.log(`${off.length} off the document:`);
    for (const line of off) console.log(`  ${line}`);
    process.exit(1);
}
console.log("every answer is as the document declares it");
