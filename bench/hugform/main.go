// Command hugform is the anchor of the pseudo-terminal benchmark (ptybench):
// a bare huh v2 form with one text input and huh's defaults, the least a
// Charm form costs. bench/ptybench runs it beside the wizard and `gum
// input`; it is not part of the product.
package main

import (
	"errors"
	"fmt"
	"os"

	"charm.land/huh/v2"
)

func main() {
	var email string
	err := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("Email").Placeholder("name@company.com").Value(&email),
	)).Run()
	switch {
	case errors.Is(err, huh.ErrUserAborted):
		os.Exit(130)
	case err != nil:
		fmt.Fprintln(os.Stderr, "hugform:", err)
		os.Exit(1)
	}
	fmt.Println(email)
}
