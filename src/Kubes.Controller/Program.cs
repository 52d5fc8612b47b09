using Kubes.Controller.Cli;

return await KubesCli.RunAsync(args);
