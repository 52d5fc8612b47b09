using Spectre.Console;

namespace Kubes.Controller.Cli.Rendering;

/// <summary>The plan for people: changes with their fields, the instance slots, the CAs and the certificate identities.</summary>
public static class PlanTableRenderer
{
    public static void Render(PlanView plan, IAnsiConsole console)
    {
        var s = plan.Summary;
        console.WriteLine($"Plan for cluster {plan.Cluster} ({plan.Provider}{(plan.Offline ? ", offline: nothing was looked up" : "")}): " +
                          $"{s.Create} to create, {s.Update} to update, {s.Delete} to delete, {s.Unchanged} unchanged.");
        foreach (var change in plan.Changes)
        {
            var sign = change.Action switch { "create" => "+", "delete" => "-", _ => "~" };
            var after = change.DependsOn.Count == 0 ? "" : $"   (after {string.Join(", ", change.DependsOn)})";
            console.WriteLine($"{sign} {change.Resource}{(change.Id is null ? "" : $" [{change.Id}]")}{after}");
            foreach (var field in change.Fields)
            {
                var value = change.Action == "update"
                    ? $"{field.From ?? "(none)"} -> {field.To ?? "(none)"}"
                    : field.To ?? field.From ?? "";
                console.WriteLine($"      {field.Name}: {value}");
            }
        }
        console.WriteLine();

        var slots = new Table().Border(TableBorder.Simple)
            .AddColumns("Slot", "Role", "Zone", "Subnet", "Private IP", "Type", "Root", "Data");
        foreach (var slot in plan.Instances)
        {
            slots.AddRow(Text(slot.Slot), Text(slot.Role), Text(slot.Zone), Text(slot.Subnet),
                Text(slot.PrivateIp ?? "(dynamic)"), Text(slot.InstanceType), Text($"{slot.RootVolumeGiB} GiB"),
                Text(slot.DataVolumeGiB > 0 ? $"{slot.DataVolumeGiB} GiB at /data" : "-"));
        }
        console.Write(slots);
        if (plan.NodeGroup is { } group)
        {
            console.WriteLine($"Nodes: an Auto Scaling group of {group.Desired} (min {group.Min}, max {group.Max}) {group.InstanceType}, " +
                              $"{group.RootVolumeGiB} GiB root, in {string.Join(", ", group.Subnets)}; each node is named by its instance id " +
                              "(verified through STS) and has the address its subnet assigns.");
        }

        var authorities = new Table().Border(TableBorder.Simple).AddColumns("CA", "Subject", "Key", "Usages", "Lifetime");
        foreach (var ca in plan.Authorities)
        {
            authorities.AddRow(Text(ca.Name), Text($"CN={ca.CommonName}"), Text(ca.KeyAlgorithm), Text(string.Join("\n", ca.KeyUsages)),
                Text(ca.Lifetime));
        }
        console.Write(authorities);
        console.WriteLine($"Service-account token signing key pair: {plan.ServiceAccountKey.KeyAlgorithm} "
                          + $"({plan.ServiceAccountKey.TokenAlgorithm} tokens), no certificate.");

        var certificates = new Table().Border(TableBorder.Simple)
            .AddColumns("Identity", "CA", "Subject", "SANs", "Usages", "Lifetime");
        foreach (var cert in plan.Certificates)
        {
            var subject = $"CN={cert.CommonName}" + string.Concat(cert.Organizations.Select(o => $"\nO={o}"));
            var ips = cert.IpAddresses.Select(ip => ip == cert.ListenAddress ? $"{ip} (kubes serve --listen; default shown)" : ip);
            certificates.AddRow(Text(cert.Identity), Text(cert.Issuer), Text(subject),
                Text(string.Join("\n", cert.DnsNames.Concat(ips))),
                Text(string.Join("\n", cert.KeyUsages.Concat(cert.ExtendedKeyUsages))), Text(cert.Lifetime));
        }
        console.Write(certificates);
    }

    private static Text Text(string value) => new(value);
}
