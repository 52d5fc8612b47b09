using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace Kubes.Controller.Cli.Commands;

/// <summary>
/// The log of <c>kubes serve</c>: one line per event, to a file of bounded size, rolled over and pruned
/// (<see cref="FileSizeLimitBytes"/> × <see cref="RetainedFiles"/> at most), or to the command's error writer. A refusal
/// is one short line (see <c>RefusalLog</c>): gRPC's own per-call lines, which repeat it with stack traces, and
/// ASP.NET Core's below warnings are left out.
/// </summary>
public static class ServeLog
{
    public const long FileSizeLimitBytes = 16L * 1024 * 1024;
    public const int RetainedFiles = 4;
    private const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}";

    /// <summary>To <paramref name="file"/> (rolled to file_001.log, file_002.log, ...), or to <paramref name="errors"/> when null.</summary>
    public static SerilogLoggerFactory Create(string? file, TextWriter? errors = null)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Grpc", LogEventLevel.Warning);
        configuration = file is not null
            ? configuration.WriteTo.File(file, outputTemplate: Template, fileSizeLimitBytes: FileSizeLimitBytes,
                rollOnFileSizeLimit: true, retainedFileCountLimit: RetainedFiles, flushToDiskInterval: TimeSpan.FromSeconds(1),
                buffered: false)
            : configuration.WriteTo.Sink(new TextWriterSink(errors ?? TextWriter.Null));
        return new SerilogLoggerFactory(configuration.CreateLogger(), dispose: true);
    }

    /// <summary>Serilog lines to the command's error writer, so tests and callers see the log.</summary>
    private sealed class TextWriterSink(TextWriter writer) : ILogEventSink
    {
        private readonly ITextFormatter _format = new MessageTemplateTextFormatter(Template);
        private readonly Lock _lock = new();

        public void Emit(LogEvent logEvent)
        {
            lock (_lock)
            {
                _format.Format(logEvent, writer);
                writer.Flush();
            }
        }
    }
}
