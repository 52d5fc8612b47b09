using Kubes.Controller.Bootstrap;

namespace Kubes.Controller.Providers;

/// <summary>
/// How the instances a run launches boot and reach the coordinator: the user-data each gets, the machine image it boots
/// (an AMI on AWS; empty where the provider has none) and, where the provider runs the coordinator the instances reach
/// itself, a line for the operator saying where it serves.
/// </summary>
public sealed record InstanceLaunches(IInstanceBootstrap Bootstrap, string Image, string? Coordinator);
