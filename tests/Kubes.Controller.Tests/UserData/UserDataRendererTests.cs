using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using CsCheck;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Controller.UserData;

namespace Kubes.Controller.Tests.UserData;

public sealed class UserDataRendererTests
{
    internal static UserDataSettings Etcd0(string agentUrl = "https://state.s3.amazonaws.com/agents/kubes-agent?X-Amz-Signature=abc&X-Amz-Expires=3600",
        string sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") => new()
    {
        Cluster = "demo",
        Role = InstanceRole.Etcd,
        Slot = 0,
        JoinToken = "jt_0123456789abcdef",
        AgentUrl = agentUrl,
        AgentSha256 = sha256,
        Channel = AgentChannel.S3,
        MailboxBucket = "kubes-state-demo",
        MailboxPrefix = "clusters/demo",
        MailboxRegion = "us-east-1",
    };

    [Fact]
    public void The_rendered_script_is_the_golden_file() => AssertGolden("bootstrap-etcd-0.sh", UserDataRenderer.Render(Etcd0()));

    /// <summary>The shared user-data of an Auto Scaling group: no token, the STS endpoint the nodes sign their proof for.</summary>
    [Fact]
    public void The_group_script_carries_no_token_and_is_the_golden_file() =>
        AssertGolden("bootstrap-node-group.sh", UserDataRenderer.Render(Etcd0() with
        {
            Role = InstanceRole.Node, JoinToken = "", StsEndpoint = "https://sts.us-east-1.amazonaws.com/", StsRegion = "us-east-1",
        }));

    [Theory]
    [InlineData("", "")]
    [InlineData("jt_0123456789abcdef", "https://sts.us-east-1.amazonaws.com/")]
    public void User_data_has_exactly_one_identity_proof(string token, string sts) =>
        Assert.Contains("exactly one identity proof", Assert.Throws<ArgumentException>(
            () => UserDataRenderer.Render(Etcd0() with { JoinToken = token, StsEndpoint = sts, StsRegion = "us-east-1" })).Message);

    [Fact]
    public void Every_value_reaches_bash_exactly_as_given()
    {
        var values = Gen.String[Gen.Char.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)), 0, 40].Array[60].Single();
        var script = new StringBuilder();
        foreach (var value in values)
        {
            script.Append("printf '%s\\0' ").Append(UserDataRenderer.ShellQuote(value)).Append('\n');
        }

        var output = RunBash(script.ToString());

        Assert.Equal(values, output.Split('\0')[..^1]);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    [InlineData("a\rb")]
    public void A_value_with_a_line_break_or_NUL_is_refused(string token) =>
        Assert.Contains("control character", Assert.Throws<ArgumentException>(
            () => UserDataRenderer.Render(Etcd0() with { JoinToken = token })).Message);

    [Fact]
    public void A_hash_that_sha256sum_would_never_print_is_refused() =>
        Assert.Contains("agentSha256", Assert.Throws<ArgumentException>(
            () => UserDataRenderer.Render(Etcd0(sha256: new string('A', 64)))).Message);

    [Fact]
    public void The_grpc_channel_needs_the_coordinator_and_its_pin() =>
        Assert.Contains("coordinatorCaSha256", Assert.Throws<ArgumentException>(
            () => UserDataRenderer.Render(Etcd0() with { Channel = AgentChannel.Grpc, CoordinatorUrl = "https://10.0.8.10:7443" })).Message);

    [Fact]
    public void A_quote_in_a_value_cannot_end_the_string_early()
    {
        var script = UserDataRenderer.Render(Etcd0() with { MailboxPrefix = "x'; rm -rf / #" });

        Assert.Contains("KUBES_MAILBOX_PREFIX='x'\\''; rm -rf / #'\n", script);
    }

    private static string RunBash(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var bash = Process.Start(start)!;
        bash.StandardInput.Write(script);
        bash.StandardInput.Close();
        var output = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        Assert.Equal(0, bash.ExitCode);
        return output;
    }

    /// <summary>The checked-in expectation beside this test; KUBES_UPDATE_GOLDEN=1 rewrites it for review.</summary>
    private static void AssertGolden(string name, string actual, [CallerFilePath] string testFile = "")
    {
        var path = Path.Join(Path.GetDirectoryName(testFile)!, "golden", name);
        if (Environment.GetEnvironmentVariable("KUBES_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.Equal(File.ReadAllText(path), actual);
    }
}
