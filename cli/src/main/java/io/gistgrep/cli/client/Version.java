package io.gistgrep.cli.client;

/** The client's version, from its jar's manifest. */
public final class Version {

	private Version() {
	}

	/** The version, or {@code dev} when run from classes rather than the jar. */
	public static String current() {
		String version = Version.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "dev";
	}

}
