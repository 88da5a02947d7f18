//! `cairn mcp` driven over stdio with JSON-RPC, as an agent's client drives it: the handshake of
//! each protocol era, every tool on a copy of docs/example, resources, writes and what they
//! refuse, changes on disk, malformed input; and the official MCP Inspector as a real client.

#[path = "../common/mod.rs"]
mod common;

mod client;
mod inspector;
mod protocol;
mod resources;
mod tools;
mod writes;

mod bench;
