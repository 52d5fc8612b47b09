using Amazon.Runtime;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Handlers;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Cli.Commands;

/// <summary>Turns the failures a cloud command meets into one clear line and an exit code.</summary>
public static class CommandErrors
{
    /// <summary>One line for the operator and the exit code; <see cref="Known"/> when the failure is one Kubes expects.</summary>
    public sealed record Report(string Line, int ExitCode, bool Known);

    public static async Task<int> ReportAsync(Exception error, TextWriter stderr)
    {
        var report = Describe(error);
        await stderr.WriteLineAsync(report.Line);
        return report.ExitCode;
    }

    public static Report Describe(Exception error) => error switch
    {
        AwsConfigurationException e => new($"error: {e.Message}", ExitCodes.BadInput, true),
        AwsServiceException e => new($"error: {e.Message}", ExitCodes.Failure, true),
        AmazonServiceException e when AwsAccessDenied.Is(e) => new(AccessDeniedLine(e), ExitCodes.Failure, true),
        AmazonServiceException e =>
            new($"error: AWS {e.ErrorCode}: {e.Message} (request {e.RequestId}). Run the command again to resume.", ExitCodes.Failure, true),
        AmazonClientException e =>
            new($"error: {e.Message}. Check AWS_PROFILE, AWS_REGION and the credentials of the SDK chain.", ExitCodes.BadInput, true),
        Artifacts.ChecksumChangedException e => new($"error: {e.Message}", ExitCodes.Failure, true),
        Operations.Access.AccessException e => new($"error: {e.Message}", ExitCodes.Failure, true),
        Pki.Store.PkiStoreException e => new($"error: {e.Message}", ExitCodes.Failure, true),
        Local.LocalNetworkConflictException e => new($"error: {e.Message}", ExitCodes.BadInput, true),
        OperationCanceledException => new("interrupted: run the command again to resume where it stopped.", ExitCodes.Failure, true),
        _ => new($"error: {OneLine(error.Message)}", ExitCodes.Failure, false),
    };

    private static string AccessDeniedLine(AmazonServiceException e) => SdkCallReporter.FailedActionOf(e) is { } action
        ? $"error: AWS refused {action}: {e.ErrorCode}: {e.Message} Grant the identity running kubes {action} " +
          "(or run with a profile that has it: AWS_PROFILE) and run the command again."
        : $"error: AWS refused {e.ErrorCode}: {e.Message} Grant the identity running kubes the permission " +
          "named above (or run with a profile that has it: AWS_PROFILE) and run the command again.";

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
