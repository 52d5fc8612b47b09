using k8s.Models;

namespace Kubes.Controller.Components.Addons.Storage;

/// <summary>
/// The cluster's default StorageClass on AWS: gp3 volumes, encrypted, ext4 (the notes waited for fsType in a
/// StorageClass), made in the zone of the first pod that uses one (WaitForFirstConsumer), growable, deleted with their
/// claim.
/// </summary>
public static class StorageClassAddon
{
    public const string Name = "gp3";

    public static Addon Build() => new("storage-class",
    [
        Objects.Typed(new V1StorageClass
        {
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                Labels = new Dictionary<string, string> { [Addon.AddonLabel] = "storage-class" },
                Annotations = new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = "true" },
            },
            Provisioner = EbsCsiDriverAddon.DriverName,
            Parameters = new Dictionary<string, string>
            {
                ["type"] = "gp3",
                ["encrypted"] = "true",
                ["csi.storage.k8s.io/fstype"] = "ext4",
            },
            VolumeBindingMode = "WaitForFirstConsumer",
            ReclaimPolicy = "Delete",
            AllowVolumeExpansion = true,
        }, "storage.k8s.io/v1", "StorageClass"),
    ]);
}
