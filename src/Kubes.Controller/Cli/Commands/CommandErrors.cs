using Amazon.Runtime;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Handlers;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Cli.Commands;

/// <summary>Turns the failures a cloud command meets into one clear line and an exit code.</summary>
public static class CommandErrors
{
    public static async Task<int> ReportAsync(Exception error, TextWriter stderr)
    {
        switch (error)
        {
            case AwsConfigurationException e:
                await stderr.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.BadInput;
            case AwsServiceException e:
                await stderr.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Failure;
            case AmazonServiceException e when AwsAccessDenied.Is(e):
                var action = SdkCallReporter.FailedActionOf(e);
                await stderr.WriteLineAsync(action is null
                    ? $"error: AWS refused {e.ErrorCode}: {e.Message} Grant the identity running kubes the permission " +
                      "named above (or run with a profile that has it: AWS_PROFILE) and run the command again."
                    : $"error: AWS refused {action}: {e.ErrorCode}: {e.Message} Grant the identity running kubes {action} " +
                      "(or run with a profile that has it: AWS_PROFILE) and run the command again.");
                return ExitCodes.Failure;
            case AmazonServiceException e:
                await stderr.WriteLineAsync($"error: AWS {e.ErrorCode}: {e.Message} (request {e.RequestId}). Run the command again to resume.");
                return ExitCodes.Failure;
            case AmazonClientException e:
                await stderr.WriteLineAsync($"error: {e.Message}. Check AWS_PROFILE, AWS_REGION and the credentials of the SDK chain.");
                return ExitCodes.BadInput;
            case OperationCanceledException:
                await stderr.WriteLineAsync("interrupted: run the command again to resume where it stopped.");
                return ExitCodes.Failure;
            default:
                await stderr.WriteLineAsync($"error: {error.Message}");
                return ExitCodes.Failure;
        }
    }
}
