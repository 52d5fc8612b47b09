using Kubes.Agent.Tests.Support;
using Kubes.StandIns.Tests.Support;

namespace Kubes.StandIns.Tests.Files;

/// <summary>
/// The stand-ins, run as programs, refuse a file that does not hold what its flag needs before they do anything else:
/// exit 1 and a message naming the flag and the file.
/// </summary>
public sealed class FileRefusalTests : IDisposable
{
    private readonly TestCertificateAuthority _etcdCa = new("etcd CA");
    private readonly ControlPlaneFiles _files;

    public FileRefusalTests() => _files = new ControlPlaneFiles(_etcdCa, [new Uri("https://127.0.0.1:1")]);

    private List<string> ApiServerWith(params string[] replaced)
    {
        var args = _files.ApiServerArgs();
        foreach (var flag in replaced)
        {
            var name = flag.Split('=')[0];
            args.RemoveAll(a => a.StartsWith(name + "=", StringComparison.Ordinal));
            args.Add(flag);
        }

        return args;
    }

    private async Task<string> RefusedAsync(string component, IEnumerable<string> args)
    {
        var (exitCode, output) = await StandInProgram.RunAsync(_files.Root, component, args);
        Assert.True(exitCode == 1, $"{component} exited {exitCode}, not 1:\n{output}");
        return output;
    }

    private static void Says(string output, string expected) =>
        Assert.True(output.Contains(expected, StringComparison.Ordinal), $"expected '{expected}' in:\n{output}");

    [Fact]
    public async Task Unknown_flag()
    {
        var output = await RefusedAsync("kube-apiserver", ApiServerWith("--insecure-bind-address=0.0.0.0"));
        Says(output, "Error: unknown flag: --insecure-bind-address (the kube-apiserver flag list of Kubernetes");
    }

    [Fact]
    public async Task Version_is_printed_as_the_real_one_prints_it()
    {
        foreach (var component in new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler" })
        {
            var (exitCode, output) = await StandInProgram.RunAsync(_files.Root, component, "--version");
            Assert.Equal((0, $"Kubernetes {KubernetesRelease.Built.GitVersion}\n"), (exitCode, output));
        }
    }

    [Fact]
    public async Task A_key_that_is_not_the_certificates()
    {
        var output = await RefusedAsync("kube-apiserver", ApiServerWith($"--tls-private-key-file={_files.Path("sa.key")}"));
        Says(output, $"--tls-private-key-file {_files.Path("sa.key")} is not the private key of the certificate in --tls-cert-file");
    }

    [Fact]
    public async Task A_CA_file_that_holds_no_CA()
    {
        var output = await RefusedAsync("kube-apiserver", ApiServerWith($"--client-ca-file={_files.Path("apiserver.crt")}"));
        Says(output, $"--client-ca-file {_files.Path("apiserver.crt")}: CN=kube-apiserver is not a CA certificate");
    }

    [Fact]
    public async Task A_certificate_its_CA_file_did_not_sign()
    {
        var output = await RefusedAsync("kube-apiserver", ApiServerWith($"--requestheader-client-ca-file={_files.Path("ca.crt")}"));
        Says(output, "--proxy-client-cert-file");
        Says(output, $"is not signed by a CA of --requestheader-client-ca-file {_files.Path("ca.crt")}");
    }

    [Fact]
    public async Task A_service_account_signing_key_the_verifying_keys_lack()
    {
        using var other = System.Security.Cryptography.ECDsa.Create();
        _files.Write("other-sa.pub", other.ExportSubjectPublicKeyInfoPem());
        var output = await RefusedAsync("kube-apiserver", ApiServerWith($"--service-account-key-file={_files.Path("other-sa.pub")}"));
        Says(output, "its public key is not among the --service-account-key-file keys");
    }

    [Fact]
    public async Task A_config_file_with_an_unknown_field()
    {
        _files.Write("kube-scheduler.yaml", $"""
            apiVersion: kubescheduler.config.k8s.io/v1
            kind: KubeSchedulerConfiguration
            clientConnection:
              kubeconfig: {_files.Path("scheduler.kubeconfig")}
            profiles:
              - schedulerName: default-scheduler
                percentageOfNodesToScor: 50
            """);
        var output = await RefusedAsync("kube-scheduler", _files.SchedulerArgs(FreePort.OnLoopback()));
        Says(output, "unknown field \"profiles[].percentageOfNodesToScor\" (line 7): a KubeSchedulerConfiguration has no such field");
    }

    [Fact]
    public async Task A_config_file_of_another_kind_or_with_a_field_of_the_wrong_type()
    {
        _files.Write("audit-policy.yaml", "apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: [{level: Metadata}]\n");
        var output = await RefusedAsync("kube-apiserver", ApiServerWith());
        Says(output, "is apiVersion 'audit.k8s.io/v1beta1' kind 'Policy', where a Policy of apiVersion 'audit.k8s.io/v1' is expected");

        _files.Write("audit-policy.yaml", "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitManagedFields: yes\nrules: [{level: Metadata}]\n");
        output = await RefusedAsync("kube-apiserver", ApiServerWith());
        Says(output, "field \"omitManagedFields\" (line 3) must be a bool, not 'yes'");
    }

    [Fact]
    public async Task An_encryption_key_of_a_length_its_cipher_does_not_take()
    {
        _files.WriteEncryptionConfig(new byte[20]);
        var output = await RefusedAsync("kube-apiserver", ApiServerWith());
        Says(output, "the aescbc key 'key1' is 20 bytes; it must be 16 or 24 or 32");
    }

    [Fact]
    public async Task A_kubeconfig_whose_client_key_is_not_its_certificates()
    {
        var kubeconfig = File.ReadAllText(_files.Path("controller-manager.kubeconfig")).Replace("client-key: controller-manager.key", "client-key: admin.key");
        _files.Write("controller-manager.kubeconfig", kubeconfig);
        var output = await RefusedAsync("kube-controller-manager", _files.ControllerManagerArgs(FreePort.OnLoopback()));
        Says(output, $"user 'system:kube-controller-manager', client-key {_files.Path("admin.key")} is not the private key of the certificate");
    }

    [Fact]
    public async Task A_file_flag_the_stand_in_cannot_check()
    {
        _files.Write("tokens.csv", "token,user,uid\n");
        var output = await RefusedAsync("kube-apiserver", ApiServerWith($"--token-auth-file={_files.Path("tokens.csv")}"));
        Says(output, "--token-auth-file names a file the Kubes stand-in for kube-apiserver cannot check");
    }

    public void Dispose()
    {
        _files.Dispose();
        _etcdCa.Dispose();
    }
}
