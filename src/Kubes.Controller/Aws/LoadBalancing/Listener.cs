using System.Xml.Linq;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.LoadBalancing;

/// <summary>A listener and the target groups its default actions forward to.</summary>
public sealed record Listener(string Arn, string LoadBalancerArn, string Protocol, int Port, IReadOnlyList<string> ForwardTargetGroupArns)
{
    internal static Listener From(XElement listener) => new(
        listener.RequiredText("ListenerArn"),
        listener.Text("LoadBalancerArn") ?? "",
        listener.Text("Protocol") ?? "",
        listener.Int("Port") ?? 0,
        [.. listener.Members("DefaultActions")
            .Where(action => action.Text("Type") == "forward")
            .Select(action => action.Text("TargetGroupArn"))
            .OfType<string>()]);
}
