//! The `cairn` command: parses the command line and hands over to the engine.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
