using Coordinator.Cli;

return await Coord.RunAsync(args, Console.Out, Console.Error);
