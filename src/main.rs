//! The `cairn` command: parses the command line and hands over to the engine.

mod cli;

// Parsing allocates many small strings on two threads at once; mimalloc halves that cost.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
