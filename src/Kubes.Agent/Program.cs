Console.Error.WriteLine("kubes-agent: not built yet");
return 1;
