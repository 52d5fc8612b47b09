namespace Kubes.Controller.Aws.LoadBalancing;

public enum LoadBalancerScheme { InternetFacing, Internal }
