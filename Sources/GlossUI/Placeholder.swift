public enum GlossUIPlaceholder {}
