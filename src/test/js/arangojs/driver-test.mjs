// The official ArangoDB JavaScript driver against a running Tributary central node.
// Usage: node driver-test.mjs <url> <username> <password>; exits non-zero on the first failed assertion.
// Run by io.tributary.central.ArangojsDriverTest, which then checks the rows in the central store.
import assert from "node:assert/strict";
import { Database } from "arangojs";

const [url, username, password] = process.argv.slice(2);
const db = new Database({ url, auth: { username, password } });

async function step(name, body) {
  await body();
  console.log(`ok   ${name}`);
}

async function rejects(promise, status, errorNum) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, status, `HTTP status of ${err.message}`);
    assert.equal(err.errorNum, errorNum, `errorNum of ${err.message}`);
    return true;
  });
}

await step("version", async () => {
  const v = await db.version();
  assert.equal(v.version, "3.12.0");
  assert.equal(v.server, "tributary");
});

await step("current database", async () => {
  const info = await db.get();
  assert.equal(info.name, "_system");
  assert.equal(await db.exists(), true);
});

const people = db.collection("js_people");
await step("collection exists, create, properties, count", async () => {
  assert.equal(await people.exists(), false);
  await db.createCollection("js_people");
  assert.equal(await people.exists(), true);
  const props = await people.properties();
  assert.equal(props.name, "js_people");
  assert.equal(props.type, 2);
  assert.equal((await people.count()).count, 0);
  const names = (await db.listCollections()).map((c) => c.name);
  assert.ok(names.includes("js_people"), `listed: ${names}`);
  await rejects(db.createCollection("js_people"), 409, 1207);
});

await step("import: array of documents (type=documents, octet-stream)", async () => {
  const r = await people.import([
    { _key: "john", name: "John", age: 35, address: { city: "Oslo" } },
    { _key: "katie", name: "Katie" },
  ]);
  assert.deepEqual([r.created, r.errors, r.updated, r.ignored], [2, 0, 0, 0]);
});

await step("import: headers and values (type= empty)", async () => {
  const r = await people.import([["_key", "name", "age"], ["mike", "Mike", 40], ["lena", null, 31]]);
  assert.deepEqual([r.created, r.errors], [2, 0]);
});

await step("import: type auto and array, from text", async () => {
  const auto = await people.import(JSON.stringify([{ _key: "ann" }, { _key: "bob" }]), { type: "auto" });
  assert.equal(auto.created, 2);
  const lines = await people.import('{"_key":"cid"}\n{"_key":"dan"}\n', { type: "auto" });
  assert.equal(lines.created, 2);
  const array = await people.import(JSON.stringify([{ _key: "eve" }]), { type: "array" });
  assert.equal(array.created, 1);
});

await step("import: every onDuplicate", async () => {
  const error = await people.import([{ _key: "john", age: 99 }], { onDuplicate: "error", details: true });
  assert.deepEqual([error.created, error.errors], [0, 1]);
  assert.match(error.details[0], /unique constraint violated/);
  const update = await people.import([{ _key: "john", age: 36, address: { zip: "0150" } }], { onDuplicate: "update" });
  assert.equal(update.updated, 1);
  const replace = await people.import([{ _key: "katie", role: "admin" }], { onDuplicate: "replace" });
  assert.equal(replace.updated, 1);
  const ignore = await people.import([{ _key: "mike", age: 1 }], { onDuplicate: "ignore" });
  assert.equal(ignore.ignored, 1);
});

await step("document read, exists", async () => {
  const john = await people.document("john");
  assert.equal(john._id, "js_people/john");
  assert.equal(john._key, "john");
  assert.ok(john._rev);
  assert.equal(john.age, 36);
  assert.deepEqual(john.address, { city: "Oslo", zip: "0150" });
  assert.equal((await people.document("katie")).name, undefined);
  assert.equal(await people.documentExists("john"), true);
  assert.equal(await people.documentExists("nobody"), false);
  assert.equal(await people.document("nobody", { graceful: true }), null);
  await rejects(people.document("nobody"), 404, 1202);
});

await step("document save, overwriteMode, replace, update, remove", async () => {
  const saved = await people.save({ _key: "zoe", name: "Zoe" }, { returnNew: true });
  assert.equal(saved._id, "js_people/zoe");
  assert.equal(saved.new.name, "Zoe");
  const generated = await people.save({ name: "no key" });
  assert.ok(generated._key);
  await rejects(people.save({ _key: "zoe" }), 409, 1210);
  const ignored = await people.save({ _key: "zoe", name: "Other" }, { overwriteMode: "ignore" });
  assert.equal(ignored._rev, saved._rev);
  await people.save({ _key: "zoe", age: 7 }, { overwriteMode: "update" });
  assert.equal((await people.document("zoe")).name, "Zoe");
  await people.save({ _key: "zoe", nick: "Z" }, { overwriteMode: "replace" });
  assert.equal((await people.document("zoe")).name, undefined);
  await rejects(people.save({ _key: "zoe" }, { overwriteMode: "conflict" }), 409, 1210);

  const many = await people.saveAll([{ _key: "x1" }, { _key: "zoe" }]);
  assert.equal(many[0]._key, "x1");
  assert.equal(many[1].error, true);
  assert.equal(many[1].errorNum, 1210);

  const replaced = await people.replace("zoe", { name: "Zoe R" });
  assert.equal(replaced._key, "zoe");
  const updated = await people.update("zoe", { age: 8 }, { returnNew: true });
  assert.deepEqual([updated.new.name, updated.new.age], ["Zoe R", 8]);
  await rejects(people.replace("nobody", { a: 1 }), 404, 1202);
  const removed = await people.remove("x1");
  assert.equal(removed._key, "x1");
  await rejects(people.remove("x1"), 404, 1202);
});

await step("documents by keys", async () => {
  const docs = await people.documents(["john", "js_people/lena", "nobody"]);
  assert.equal(docs.length, 3);
  assert.equal(docs[0]._key, "john");
  assert.equal(docs[1].age, 31);
  assert.equal(docs[2].error, true);
  assert.equal(docs[2].errorNum, 1202);
});

await step("unknown collection, AQL", async () => {
  await rejects(db.collection("js_missing").document("x"), 404, 1203);
  await rejects(db.query("FOR p IN js_people RETURN p"), 501, 9);
});

await step("count", async () => {
  // john katie mike lena ann bob cid dan eve zoe + the generated key
  assert.equal((await people.count()).count, 11);
});

console.log("arangojs driver test passed");
