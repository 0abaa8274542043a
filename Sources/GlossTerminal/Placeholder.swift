import CNcursesw
public enum GlossTerminalPlaceholder {}
