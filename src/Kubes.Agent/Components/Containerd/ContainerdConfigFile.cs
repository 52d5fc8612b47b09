using Tomlyn;
using Tomlyn.Model;

namespace Kubes.Agent.Components.Containerd;

/// <summary>
/// containerd's <c>config.toml</c>, as Kubes writes it: its own root, state and sockets (per instance on the local
/// provider), CRI on with the CNI plugins' folders and the pinned sandbox image, runc as the one runtime with the cgroup
/// driver the kubelet uses, no TCP, metrics or debug listener, and the snapshotters a node cannot use turned off. In
/// config version 2 for containerd 1.x, version 3 for 2.x (the CRI plugin was split into images and runtime there).
/// </summary>
public static class ContainerdConfigFile
{
    /// <summary>Snapshotters that need a file system or a device a node does not have; turned off so they do not fail at every start.</summary>
    public static IReadOnlyList<string> DisabledPlugins { get; } =
    [
        "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper",
        "io.containerd.snapshotter.v1.zfs",
    ];

    public static string Render(ContainerdLayout layout) => TomlSerializer.Serialize(Build(layout), ContainerdTomlContext.Default.TomlTable);

    public static TomlTable Build(ContainerdLayout layout)
    {
        var toml = new TomlTable
        {
            ["version"] = (long)layout.ConfigVersion,
            ["root"] = layout.RootDir,
            ["state"] = layout.StateDir,
            ["disabled_plugins"] = Array(DisabledPlugins),
            ["grpc"] = new TomlTable { ["address"] = layout.Socket },
            ["ttrpc"] = new TomlTable { ["address"] = layout.TtrpcSocket },
            ["plugins"] = layout.ConfigVersion >= 3 ? PluginsV3(layout) : PluginsV2(layout),
        };
        return toml;
    }

    private static TomlTable PluginsV2(ContainerdLayout layout) => new()
    {
        ["io.containerd.internal.v1.opt"] = new TomlTable { ["path"] = layout.OptDir },
        ["io.containerd.grpc.v1.cri"] = new TomlTable
        {
            ["disable_tcp_service"] = true,
            ["sandbox_image"] = layout.Containerd.SandboxImage,
            ["stream_server_address"] = "127.0.0.1",
            ["cni"] = Cni(layout, "bin_dir", layout.CniBinDir),
            ["containerd"] = new TomlTable
            {
                ["default_runtime_name"] = "runc",
                ["runtimes"] = new TomlTable { ["runc"] = Runc(layout) },
            },
        },
    };

    private static TomlTable PluginsV3(ContainerdLayout layout) => new()
    {
        ["io.containerd.internal.v1.opt"] = new TomlTable { ["path"] = layout.OptDir },
        ["io.containerd.grpc.v1.cri"] = new TomlTable
        {
            ["disable_tcp_service"] = true,
            ["stream_server_address"] = "127.0.0.1",
        },
        ["io.containerd.cri.v1.images"] = new TomlTable
        {
            ["pinned_images"] = new TomlTable { ["sandbox"] = layout.Containerd.SandboxImage },
        },
        ["io.containerd.cri.v1.runtime"] = new TomlTable
        {
            ["cni"] = Cni(layout, "bin_dirs", Array([layout.CniBinDir])),
            ["containerd"] = new TomlTable
            {
                ["default_runtime_name"] = "runc",
                ["runtimes"] = new TomlTable { ["runc"] = Runc(layout) },
            },
        },
    };

    private static TomlTable Cni(ContainerdLayout layout, string binKey, object bin) => new()
    {
        [binKey] = bin,
        ["conf_dir"] = layout.CniConfDir,
    };

    private static TomlTable Runc(ContainerdLayout layout) => new()
    {
        ["runtime_type"] = "io.containerd.runc.v2",
        ["options"] = new TomlTable
        {
            ["BinaryName"] = layout.RuncProgram,
            ["SystemdCgroup"] = layout.CgroupDriver == CgroupDriver.Systemd,
        },
    };

    private static TomlArray Array(IEnumerable<string> values)
    {
        var array = new TomlArray();
        foreach (var value in values) array.Add(value);
        return array;
    }
}

[Tomlyn.Serialization.TomlSerializable(typeof(TomlTable))]
internal sealed partial class ContainerdTomlContext : Tomlyn.Serialization.TomlSerializerContext;
