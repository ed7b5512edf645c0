import ArgumentParser
import ClaimCore
import Foundation

extension ClaimCheckCommand {
    /// The program's entry point (`ClaimCheckCommand.main()` resolves here, not to ArgumentParser's default):
    /// line-buffered stdout (so `verify | tee` shows each verdict as it comes), temporaries removed on SIGINT/SIGTERM,
    /// and one exit-code policy for every subcommand — 0 success (and --help/--version), 1 a claim not holding or a
    /// run ending in error, 2 bad input of any kind (ArgumentParser's parse and validation errors included), each
    /// failure as one line on stderr.
    public static func main() -> Never { main(nil) }

    public static func main(_ arguments: [String]?) -> Never {
        lineBufferStandardOutput()
        signal(SIGPIPE, SIG_IGN)
        installTemporaryCleanupOnSignals()
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch {
            Foundation.exit(exitStatus(for: error))
        }
    }

    /// Prints what `error` means (one line on stderr, or the help/version text on stdout) and returns the exit status.
    static func exitStatus(for error: any Error) -> Int32 {
        if let code = error as? ExitCode { return code.rawValue }  // already reported by `guarded`
        if let failure = error as? UsageFailure {
            printError(failure.description)
            return failure.code
        }
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            return 0
        }
        let text = message(for: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " ")
        let line = text.hasPrefix("Error: ") ? String(text.dropFirst("Error: ".count)) : text
        printError(line.isEmpty ? "\(error)" : line)
        return code == .validationFailure ? 2 : code.rawValue
    }
}

/// setvbuf(stdout, _IOLBF): `print` goes through C stdio, which block-buffers a pipe. (The C global `stdout` is looked
/// up by name because Swift 6 refuses a direct reference to a mutable C global.)
private func lineBufferStandardOutput() {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "stdout"),
          let file = symbol.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee else { return }
    setvbuf(file, nil, _IOLBF, 0)
}
