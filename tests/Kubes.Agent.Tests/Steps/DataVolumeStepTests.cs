using Kubes.Agent.Configuration;
using Kubes.Agent.Processes;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Steps;

/// <summary>
/// The data volume on a real block device: a loop device stands in for the EBS volume, linked under the
/// root's /dev/disk/by-id with the name Nitro instances give EBS volumes.
/// </summary>
public sealed class DataVolumeStepTests : IAsyncLifetime
{
    private const string VolumeId = "vol-0123456789abcdef0";

    private readonly TempRoot _root = new();
    private readonly CommandRunner _commands = new();
    private string _device = "";
    private string _image = "";

    private AgentPaths Paths => new(_root.Path);
    private string MountPath => Paths.Under("/data");

    public async Task InitializeAsync()
    {
        var image = _image = _root.Join("ebs.img");
        await using (var file = File.Create(image))
        {
            file.SetLength(64 << 20);
        }

        _device = (await _commands.RunCheckedAsync("losetup", ["--find", "--show", image], CancellationToken.None)).StandardOutput.Trim();
        var byId = Paths.Under("/dev/disk/by-id");
        Directory.CreateDirectory(byId);
        File.CreateSymbolicLink(Path.Join(byId, "nvme-Amazon_Elastic_Block_Store_" + VolumeId.Replace("-", "")), _device);
    }

    public async Task DisposeAsync()
    {
        await _commands.RunAsync("umount", [MountPath], CancellationToken.None);
        await _commands.RunAsync("losetup", ["-d", _device], CancellationToken.None);
        _root.Dispose();
    }

    private DataVolumeStep Step(string tag) => new(MountPath, tag, Paths, _commands,
        new DataVolumeTiming(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100)), NullLogger.Instance);

    [Fact]
    public async Task A_blank_volume_is_formatted_mounted_and_given_an_fstab_line()
    {
        var step = Step(VolumeId);
        Assert.True(step.HostHasEbsDevices);
        Assert.False(await step.IsDoneAsync(CancellationToken.None));

        await step.ApplyAsync(CancellationToken.None);

        Assert.True(await step.IsDoneAsync(CancellationToken.None));
        Assert.Equal("ext4", (await _commands.RunCheckedAsync("blkid", ["-p", "-o", "value", "-s", "TYPE", _device], CancellationToken.None)).StandardOutput.Trim());
        var fstab = await File.ReadAllTextAsync(Paths.Under("/etc/fstab"));
        Assert.Matches($@"^UUID=[0-9a-f-]+ {MountPath} ext4 defaults,nofail 0 2\n$", fstab);
    }

    [Fact]
    public async Task A_volume_with_data_is_mounted_again_never_formatted()
    {
        await Step(VolumeId).ApplyAsync(CancellationToken.None);
        await File.WriteAllTextAsync(Path.Join(MountPath, "member-data"), "keep me");
        await _commands.RunCheckedAsync("umount", [MountPath], CancellationToken.None);
        var afterReboot = Step(VolumeId);
        Assert.False(await afterReboot.IsDoneAsync(CancellationToken.None));

        await afterReboot.ApplyAsync(CancellationToken.None);

        Assert.Equal("keep me", await File.ReadAllTextAsync(Path.Join(MountPath, "member-data")));
        Assert.Single(File.ReadAllLines(Paths.Under("/etc/fstab")));
    }

    [Fact]
    public async Task A_volume_with_a_partition_table_and_no_file_system_is_refused_never_formatted()
    {
        // A DOS partition table with one partition, as another machine or an operator may have left it.
        await using (var disk = new FileStream(_device, FileMode.Open, FileAccess.Write))
        {
            var sector = new byte[512];
            BitConverter.GetBytes(0x12345678u).CopyTo(sector, 440);
            sector[446 + 4] = 0x83;
            BitConverter.GetBytes(2048u).CopyTo(sector, 446 + 8);
            BitConverter.GetBytes(100_000u).CopyTo(sector, 446 + 12);
            (sector[510], sector[511]) = (0x55, 0xaa);
            await disk.WriteAsync(sector);
        }
        var before = await File.ReadAllBytesAsync(_image);

        var error = await Assert.ThrowsAsync<IOException>(() => Step(VolumeId).ApplyAsync(CancellationToken.None));

        Assert.Contains("holds a dos partition table and no file system", error.Message);
        Assert.Contains("wipefs", error.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(_image));
        Assert.False(File.Exists(Paths.Under("/etc/fstab")));
    }

    [Fact]
    public async Task Without_a_volume_id_the_one_unused_EBS_device_is_the_data_volume()
    {
        var step = Step("demo-etcd-0");

        await step.ApplyAsync(CancellationToken.None);

        Assert.True(await step.IsDoneAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_volume_that_is_not_attached_is_an_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<IOException>(() => Step("vol-0ffffffffffffffff").ApplyAsync(CancellationToken.None));

        Assert.Contains("vol-0ffffffffffffffff is not attached", error.Message);
    }

    [Fact]
    public async Task A_host_without_EBS_devices_gets_a_folder()
    {
        using var bare = new TempRoot();
        var paths = new AgentPaths(bare.Path);
        var step = new DataVolumeStep(paths.Under("/data"), VolumeId, paths, _commands, DataVolumeTiming.Default, NullLogger.Instance);

        await step.ApplyAsync(CancellationToken.None);

        Assert.False(step.HostHasEbsDevices);
        Assert.True(Directory.Exists(paths.Under("/data")));
        Assert.True(await step.IsDoneAsync(CancellationToken.None));
        Assert.False(File.Exists(paths.Under("/etc/fstab")));
    }
}
